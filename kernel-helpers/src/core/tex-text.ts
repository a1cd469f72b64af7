/**
 * Inline TeX in record titles and abstracts (`$B^{\pm} \to J/\psi$`, `$t\bar{t}$`) as readable
 * Unicode text, for the places that show plain text (list rows, tab titles, the status bar) while
 * the record view typesets the same TeX with MathJax. Text outside math is left as it is.
 *
 * Math is found as MathJax and pandoc find it: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`. A single `$`
 * opens only when followed by a non-space and closes only when preceded by a non-space and not
 * followed by a digit, so prices ("$5 and $6") stay text; the content must also look like TeX.
 */
export function texToText(text: string): string {
  if (!/[$\\]/.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const span = mathSpanAt(text, i);
    if (span) {
      out += mathToText(text.slice(span.start, span.end));
      i = span.next;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

interface MathSpan {
  /** The TeX between the delimiters. */
  start: number;
  end: number;
  /** Just after the closing delimiter. */
  next: number;
}

function mathSpanAt(text: string, i: number): MathSpan | null {
  const c = text[i];
  if (c === '\\') {
    const open = text[i + 1];
    if (open === '(' || open === '[') {
      const close = text.indexOf(open === '(' ? '\\)' : '\\]', i + 2);
      return close < 0 ? null : { start: i + 2, end: close, next: close + 2 };
    }
    return null;
  }
  if (c !== '$' || text[i - 1] === '\\') return null;
  if (text[i + 1] === '$') {
    const close = text.indexOf('$$', i + 2);
    return close > i + 2 ? { start: i + 2, end: close, next: close + 2 } : null;
  }
  if (i + 1 >= text.length || /\s/.test(text[i + 1])) return null;
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') {
      j++; // an escaped character (`\$`) does not close
      continue;
    }
    if (text[j] === '\n' && text[j + 1] === '\n') return null; // not across paragraphs
    if (text[j] !== '$') continue;
    if (/\s/.test(text[j - 1]) || /\d/.test(text[j + 1] ?? '')) return null;
    const content = text.slice(i + 1, j);
    return looksLikeTeX(content) ? { start: i + 1, end: j, next: j + 1 } : null;
  }
  return null;
}

/**
 * TeX markup, or a short formula of letters, digits and operators (`$A$`, `$R = 0.4$`, `$24.3$`,
 * `$s, b$`), rather than text between two dollar amounts.
 */
function looksLikeTeX(content: string): boolean {
  return /[\\^_{}]/.test(content) || /^[\p{L}\p{N}.,;:=+\-*/()<>|' ]{1,24}$/u.test(content);
}

/** TeX spacing classes, enough to space relations and binary operators as MathJax does. */
type Kind = 'ord' | 'bin' | 'rel' | 'open' | 'close' | 'punct' | 'fn' | 'space' | 'fixed';

interface Atom {
  kind: Kind;
  text: string;
}

/** The TeX of one formula (without delimiters) as text. */
function mathToText(tex: string): string {
  return render(new Parser(tex, false).parseList(null)).trim();
}

class Parser {
  constructor(
    private readonly src: string,
    private readonly textMode: boolean
  ) {}

  pos = 0;

  /** Atoms up to `end` (a closing brace) or the end of the source. */
  parseList(end: '}' | null): Atom[] {
    const atoms: Atom[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '}') {
        this.pos++;
        if (end === '}') return atoms;
        continue; // an unbalanced brace: dropped
      }
      if (/\s/.test(c)) {
        this.pos++;
        if (atoms[atoms.length - 1]?.kind !== 'space') atoms.push({ kind: 'space', text: ' ' });
        continue;
      }
      if (!this.textMode && (c === '^' || c === '_')) {
        this.pos++;
        const script = this.argument();
        // The script binds to the atom before it (spaces between are ignored, as in TeX).
        while (atoms[atoms.length - 1]?.kind === 'space') atoms.pop();
        const base = atoms[atoms.length - 1] ?? null;
        const text = scriptText(script, c === '^' ? SUPERSCRIPT : SUBSCRIPT, c);
        if (base && base.kind !== 'fixed') base.text = asymmetricError(base.text + text);
        else atoms.push({ kind: 'ord', text });
        continue;
      }
      const atom = this.atom();
      if (atom) atoms.push(atom);
    }
    return atoms;
  }

  /** One atom: a group, a command or a character. */
  private atom(): Atom | null {
    const c = this.src[this.pos++];
    if (c === '{') return { kind: 'ord', text: render(this.parseList('}')) };
    if (c === '\\') return this.command();
    if (this.textMode) return { kind: 'ord', text: c === '~' ? NBSP : c };
    switch (c) {
      case '~':
        return { kind: 'fixed', text: NBSP };
      case '+':
      case '*':
        return { kind: 'bin', text: c };
      case '-':
        return { kind: 'bin', text: MINUS };
      case '=':
      case '<':
      case '>':
        return { kind: 'rel', text: c };
      case ',':
      case ';':
        return { kind: 'punct', text: c };
      case '(':
      case '[':
        return { kind: 'open', text: c };
      case ')':
      case ']':
        return { kind: 'close', text: c };
      case "'":
        return { kind: 'ord', text: '′' };
      case '&':
        return { kind: 'space', text: ' ' }; // alignment tab
      default:
        return { kind: 'ord', text: c };
    }
  }

  private command(): Atom | null {
    const name = this.commandName();
    if (name === '') return null; // a lone backslash at the end
    if (name.length === 1 && !/[a-zA-Z]/.test(name)) {
      if (name in SPACES) return { kind: 'fixed', text: SPACES[name] };
      if (name === '{') return { kind: 'open', text: '{' };
      if (name === '}') return { kind: 'close', text: '}' };
      if (name === '|') return { kind: 'ord', text: '‖' };
      return { kind: 'ord', text: name }; // \% \$ \& \# \_
    }
    const symbol = SYMBOLS[name];
    if (symbol) return { kind: symbol[0], text: symbol[1] };
    if (FUNCTIONS.has(name)) return { kind: 'fn', text: name };
    if (name in NAMED_SPACES) return { kind: 'fixed', text: NAMED_SPACES[name] };
    if (SIZED_DELIMITERS.test(name)) return this.delimiter(name);
    if (name in ACCENTS) return { kind: 'ord', text: accent(this.argumentText(), ACCENTS[name]) };
    if (TEXT_FONTS.has(name)) return { kind: 'ord', text: this.argumentText(true) };
    if (MATH_FONTS.has(name)) return { kind: 'ord', text: this.argumentText() };
    if (name === 'mathbb') return { kind: 'ord', text: doubleStruck(this.argumentText()) };
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const numerator = this.argumentText();
      const denominator = this.argumentText();
      return { kind: 'ord', text: `${factor(numerator)}/${factor(denominator)}` };
    }
    if (name === 'sqrt') {
      const index = this.optionalArgument();
      const root = index === '3' ? '∛' : index === '4' ? '∜' : index ? `${index}√` : '√';
      return { kind: 'ord', text: root + factor(this.argumentText()) };
    }
    if (FONT_SWITCHES.has(name)) return null;
    // Unknown: its name, so the reader still sees what was meant.
    return { kind: 'ord', text: name };
  }

  private commandName(): string {
    const match = /^[a-zA-Z]+/.exec(this.src.slice(this.pos));
    if (match) {
      this.pos += match[0].length;
      return match[0];
    }
    return this.src[this.pos++] ?? '';
  }

  /** `\left(`, `\bigr]`, `\right.`: the delimiter alone. */
  private delimiter(name: string): Atom | null {
    this.skipSpaces();
    const c = this.src[this.pos];
    if (c === undefined) return null;
    const kind: Kind = /^(left|[bB]ig+l)$/.test(name)
      ? 'open'
      : /^(right|[bB]ig+r)$/.test(name)
        ? 'close'
        : 'ord';
    if (c === '.') {
      this.pos++;
      return null;
    }
    const atom = this.atom();
    return atom && { kind, text: atom.text };
  }

  /** A command's argument: a group, a command or one character. */
  private argument(): Atom[] {
    this.skipSpaces();
    if (this.pos >= this.src.length) return [];
    if (this.src[this.pos] === '{') {
      this.pos++;
      return this.parseList('}');
    }
    const atom = this.atom();
    return atom ? [atom] : [];
  }

  private argumentText(text = this.textMode): string {
    if (!text) return render(this.argument());
    this.skipSpaces();
    if (this.src[this.pos] !== '{') return render(this.argument());
    this.pos++;
    const inner = new Parser(this.src, true);
    inner.pos = this.pos;
    const atoms = inner.parseList('}');
    this.pos = inner.pos;
    return render(atoms, true);
  }

  private optionalArgument(): string | null {
    this.skipSpaces();
    if (this.src[this.pos] !== '[') return null;
    const close = this.src.indexOf(']', this.pos);
    if (close < 0) return null;
    const inner = this.src.slice(this.pos + 1, close);
    this.pos = close + 1;
    return mathToText(inner);
  }

  private skipSpaces(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }
}

/**
 * Joins atoms with TeX's spacing made visible: a space around relations and binary operators
 * (`H → ZZ`, `41 ± 2`), none after an opening or unary sign (`(→ μ⁺`, `⁺¹·⁷`), a space between a
 * function name and its argument (`tan θ`); elsewhere the source's own spaces, collapsed.
 */
function render(atoms: Atom[], textMode = false): string {
  if (textMode) return atoms.map(a => a.text).join('');
  let out = '';
  let prev: Kind | null = null; // null: the start, or after something that takes no space
  let unaryPrev = false;
  let sourceSpace = false;
  for (const atom of atoms) {
    if (atom.kind === 'space') {
      sourceSpace = true;
      continue;
    }
    let kind = atom.kind;
    let space: boolean;
    if (kind === 'fixed') {
      space = false;
    } else if (prev === null || prev === 'open' || prev === 'fixed' || unaryPrev) {
      space = false;
    } else if (kind === 'close' || kind === 'punct') {
      space = false;
    } else if (kind === 'rel' || prev === 'rel') {
      space = true;
    } else if (kind === 'bin') {
      space = prev === 'ord' || prev === 'close' || prev === 'fn';
    } else if (prev === 'bin') {
      space = true;
    } else if (prev === 'fn') {
      space = kind !== 'open';
    } else {
      space = sourceSpace;
    }
    // A sign with nothing to its left is unary: no space after it either.
    unaryPrev = kind === 'bin' && !(prev === 'ord' || prev === 'close' || prev === 'fn');
    if (kind === 'rel' && out === '') unaryPrev = true; // `∼85`, as "about 85"
    if (space) out += ' ';
    out += atom.text;
    if (kind === 'bin' && unaryPrev) kind = 'open';
    prev = kind;
    sourceSpace = false;
  }
  return out;
}

/** A fraction's part or a root's radicand: bracketed unless it is one word or number. */
function factor(text: string): string {
  return /^[\p{L}\p{N}.\p{M}\u2070-\u209f\u1d62-\u1d6a\u00b2\u00b3\u00b9]*$/u.test(text)
    ? text
    : `(${text})`;
}

function scriptText(atoms: Atom[], table: Record<string, string>, marker: '^' | '_'): string {
  const text = render(atoms).replace(/\s+/g, '');
  if (text === '') return '';
  const chars = Array.from(text);
  if (chars.every(ch => ch in table)) return chars.map(ch => table[ch]).join('');
  // Charges and primes read well on the line: B±, D*, p′.
  if (marker === '^' && /^[±∓*′]+$/.test(text)) return text;
  if (marker === '^' && text === '∘') return '°';
  return marker + (chars.length === 1 ? text : `(${text})`);
}

/** `12.7^(+1.7)_(−2.3)` (no Unicode superscript point) as physicists write it: `12.7 +1.7/−2.3`. */
function asymmetricError(text: string): string {
  return text
    .replace(/\^\(([+−][^()]+)\)_\(([+−][^()]+)\)$/, ' $1/$2')
    .replace(/_\(([+−][^()]+)\)\^\(([+−][^()]+)\)$/, ' $2/$1');
}

function accent(text: string, mark: string): string {
  // After each base character (not after combining marks already there).
  return Array.from(text)
    .map(ch => (/[\p{L}\p{N}]/u.test(ch) ? ch + mark : ch))
    .join('');
}

function doubleStruck(text: string): string {
  return Array.from(text)
    .map(ch => {
      if (ch in DOUBLE_STRUCK) return DOUBLE_STRUCK[ch];
      if (/[0-9]/.test(ch)) return String.fromCodePoint(0x1d7d8 + Number(ch));
      if (/[A-Z]/.test(ch)) return String.fromCodePoint(0x1d538 + ch.charCodeAt(0) - 65);
      if (/[a-z]/.test(ch)) return String.fromCodePoint(0x1d552 + ch.charCodeAt(0) - 97);
      return ch;
    })
    .join('');
}

const NBSP = '\u00a0';
const MINUS = '\u2212';

const SPACES: Record<string, string> = {
  ',': '\u2009',
  ':': ' ',
  '>': ' ',
  ';': ' ',
  ' ': ' ',
  '!': '',
  '\\': ' '
};

const NAMED_SPACES: Record<string, string> = {
  quad: '\u2003',
  qquad: '\u2003\u2003',
  enspace: '\u2002',
  thinspace: '\u2009',
  medspace: ' ',
  thickspace: ' ',
  space: ' ',
  nobreakspace: NBSP
};

const SIZED_DELIMITERS = /^(left|right|middle|[bB]ig+[lrm]?)$/;

const ACCENTS: Record<string, string> = {
  bar: '\u0304',
  overline: '\u0304', // as \bar: fonts draw the macron over one letter better
  hat: '\u0302',
  widehat: '\u0302',
  tilde: '\u0303',
  widetilde: '\u0303',
  vec: '\u20d7',
  dot: '\u0307',
  ddot: '\u0308',
  breve: '\u0306',
  check: '\u030c',
  acute: '\u0301',
  grave: '\u0300',
  underline: '\u0332'
};

/** Arguments read as text: spaces kept, `-` a hyphen. */
const TEXT_FONTS = new Set([
  'text',
  'textrm',
  'textit',
  'textbf',
  'textsf',
  'texttt',
  'textnormal',
  'textup',
  'textsc',
  'textsl',
  'textmd',
  'emph',
  'mbox',
  'hbox'
]);

const MATH_FONTS = new Set([
  'mathrm',
  'mathit',
  'mathbf',
  'mathsf',
  'mathtt',
  'mathcal',
  'mathscr',
  'mathfrak',
  'mathnormal',
  'boldsymbol',
  'bm',
  'operatorname'
]);

/** Declarations that change the font of what follows: dropped. */
const FONT_SWITCHES = new Set(
  'rm it bf sf tt cal displaystyle textstyle scriptstyle limits nolimits'.split(' ')
);

const FUNCTIONS = new Set(
  (
    'arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim ' +
    'liminf limsup ln log max min mod Pr sec sin sinh sup tan tanh'
  ).split(' ')
);

const GREEK: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ϵ',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  vartheta: 'ϑ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  omicron: 'ο',
  pi: 'π',
  varpi: 'ϖ',
  rho: 'ρ',
  varrho: 'ϱ',
  sigma: 'σ',
  varsigma: 'ς',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'ϕ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Upsilon: 'Υ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω'
};

const SYMBOLS: Record<string, [Kind, string]> = {
  ...Object.fromEntries(Object.entries(GREEK).map(([k, v]) => [k, ['ord', v] as [Kind, string]])),
  // Binary operators
  pm: ['bin', '±'],
  mp: ['bin', '∓'],
  times: ['bin', '×'],
  cdot: ['bin', '·'],
  div: ['bin', '÷'],
  ast: ['bin', '∗'],
  star: ['bin', '⋆'],
  circ: ['bin', '∘'],
  bullet: ['bin', '•'],
  oplus: ['bin', '⊕'],
  otimes: ['bin', '⊗'],
  cup: ['bin', '∪'],
  cap: ['bin', '∩'],
  setminus: ['bin', '∖'],
  wedge: ['bin', '∧'],
  vee: ['bin', '∨'],
  // Relations and arrows
  to: ['rel', '→'],
  rightarrow: ['rel', '→'],
  longrightarrow: ['rel', '⟶'],
  leftarrow: ['rel', '←'],
  gets: ['rel', '←'],
  longleftarrow: ['rel', '⟵'],
  leftrightarrow: ['rel', '↔'],
  Rightarrow: ['rel', '⇒'],
  Leftarrow: ['rel', '⇐'],
  Leftrightarrow: ['rel', '⇔'],
  implies: ['rel', '⟹'],
  iff: ['rel', '⟺'],
  mapsto: ['rel', '↦'],
  rightleftharpoons: ['rel', '⇌'],
  uparrow: ['rel', '↑'],
  downarrow: ['rel', '↓'],
  sim: ['rel', '∼'],
  simeq: ['rel', '≃'],
  approx: ['rel', '≈'],
  cong: ['rel', '≅'],
  equiv: ['rel', '≡'],
  ne: ['rel', '≠'],
  neq: ['rel', '≠'],
  le: ['rel', '≤'],
  leq: ['rel', '≤'],
  ge: ['rel', '≥'],
  geq: ['rel', '≥'],
  ll: ['rel', '≪'],
  gg: ['rel', '≫'],
  lesssim: ['rel', '≲'],
  gtrsim: ['rel', '≳'],
  propto: ['rel', '∝'],
  in: ['rel', '∈'],
  notin: ['rel', '∉'],
  ni: ['rel', '∋'],
  subset: ['rel', '⊂'],
  subseteq: ['rel', '⊆'],
  supset: ['rel', '⊃'],
  supseteq: ['rel', '⊇'],
  perp: ['rel', '⊥'],
  parallel: ['rel', '∥'],
  mid: ['rel', '∣'],
  // Ordinary symbols
  ell: ['ord', 'ℓ'],
  hbar: ['ord', 'ℏ'],
  infty: ['ord', '∞'],
  partial: ['ord', '∂'],
  nabla: ['ord', '∇'],
  prime: ['ord', '′'],
  degree: ['ord', '°'],
  angle: ['ord', '∠'],
  emptyset: ['ord', '∅'],
  varnothing: ['ord', '∅'],
  forall: ['ord', '∀'],
  exists: ['ord', '∃'],
  neg: ['ord', '¬'],
  Re: ['ord', 'ℜ'],
  Im: ['ord', 'ℑ'],
  aleph: ['ord', 'ℵ'],
  AA: ['ord', 'Å'],
  ldots: ['ord', '…'],
  dots: ['ord', '…'],
  cdots: ['ord', '⋯'],
  vdots: ['ord', '⋮'],
  ddots: ['ord', '⋱'],
  sum: ['ord', '∑'],
  prod: ['ord', '∏'],
  int: ['ord', '∫'],
  oint: ['ord', '∮'],
  checkmark: ['ord', '✓'],
  dagger: ['ord', '†'],
  ddagger: ['ord', '‡'],
  textdegree: ['ord', '°'],
  textasciitilde: ['ord', '~'],
  lbrace: ['open', '{'],
  rbrace: ['close', '}'],
  langle: ['open', '⟨'],
  rangle: ['close', '⟩'],
  lvert: ['open', '|'],
  rvert: ['close', '|'],
  lVert: ['open', '‖'],
  rVert: ['close', '‖'],
  vert: ['ord', '|'],
  Vert: ['ord', '‖'],
  backslash: ['ord', '\\'],
  colon: ['punct', ':']
};

const DOUBLE_STRUCK: Record<string, string> = {
  C: 'ℂ',
  H: 'ℍ',
  N: 'ℕ',
  P: 'ℙ',
  Q: 'ℚ',
  R: 'ℝ',
  Z: 'ℤ'
};

// Unicode has superscripts for digits, signs, brackets and most Latin letters; subscripts for
// digits, signs and some letters. Anything else falls back to ^x / _(xy).
const SUPERSCRIPT: Record<string, string> = {
  ...table('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'),
  ...table('+-−=()', '⁺⁻⁻⁼⁽⁾'),
  ...table('abcdefghijklmnoprstuvwxyz', 'ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ'),
  ...table('ABDEGHIJKLMNOPRTUVW', 'ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ'),
  ...table('βγδθιφχ', 'ᵝᵞᵟᶿᶥᵠᵡ')
};

const SUBSCRIPT: Record<string, string> = {
  ...table('0123456789', '₀₁₂₃₄₅₆₇₈₉'),
  ...table('+-−=()', '₊₋₋₌₍₎'),
  ...table('aehijklmnoprstuvx', 'ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ'),
  ...table('βγρφχ', 'ᵦᵧᵨᵩᵪ')
};

function table(from: string, to: string): Record<string, string> {
  const keys = Array.from(from);
  const values = Array.from(to);
  return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
}
