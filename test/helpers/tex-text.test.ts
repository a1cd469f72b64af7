// TeX as readable text (texToText) on every real title and abstract of the bundled snapshot that
// carries TeX. The expected texts are written by hand from reading the TeX, not from the code.
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { texToText } from '../../kernel-helpers/src/core/tex-text';
import { REPO_ROOT } from '../support/shared-data';

const catalogDir = path.join(REPO_ROOT, 'data', 'catalog');
const gunzipJson = (file: string) =>
  JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));

const MACRON = '\u0304';
const HAT = '\u0302';
const NBSP = '\u00a0';
const B_TO_JPSI_K = 'B± → J/ψ (→ μ⁺ μ⁻) K±';

/** The six titles with TeX, as a reader would write them in plain text. */
const TITLES: Record<string, string> = {
  '93940': `ATLAS t${'t' + MACRON} simulation for ML-based jet flavour tagging (JetSet)`,
  '93945': `[${B_TO_JPSI_K}]CC Ntuples 4530`,
  '93946': `[${B_TO_JPSI_K}]CC Ntuples 4530 -- 2016 Magnet Down`,
  '93947': `[${B_TO_JPSI_K}]CC Ntuples 4530 -- 2016 Magnet Up`,
  '93948': `[${B_TO_JPSI_K}]CC Ntuples 4530 -- 2017 Magnet Down`,
  '93949': `[${B_TO_JPSI_K}]CC Ntuples 4530 -- 2017 Magnet Up`
};

/** The records whose abstract carries TeX (ATLAS ML challenge, CMS, OPERA tau events, LHCb). */
const ABSTRACTS = [
  '328',
  '1055',
  '1058',
  '1059',
  '10100',
  '10101',
  '10102',
  '10103',
  '10104',
  '10105',
  '10106',
  '10107',
  '10108',
  '10109',
  '12100',
  '12310',
  '12320',
  '12342',
  '12350',
  '12360',
  '22350',
  '93945',
  '93946',
  '93947',
  '93948',
  '93949'
];

/** Every formula in those abstracts and how it reads. */
const FORMULAS: Record<string, string> = {
  // 328: the ATLAS Higgs ML challenge's metric
  [String.raw`\[ \text{AMS} = \sqrt{2\left((s+b+b_r) \log \left(1 + \frac{s}{b + b_r}\right)-s\right)}\]`]:
    'AMS = √(2((s + b + bᵣ) log(1 + s/(b + bᵣ)) − s))',
  [String.raw`\[ s = \sum_{i=1}^n w_i\mathbb{1}\{y_i = \text{s}\} \mathbb{1}\{\hat{y}_i = \text{s}\} \]`]: `s = ∑ᵢ₌₁ⁿ wᵢ𝟙{yᵢ = s} 𝟙{y${HAT}ᵢ = s}`,
  [String.raw`\[ b = \sum_{i=1}^n w_i\mathbb{1}\{y_i = \text{b}\} \mathbb{1}\{\hat{y}_i = \text{s}\}, \]`]: `b = ∑ᵢ₌₁ⁿ wᵢ𝟙{yᵢ = b} 𝟙{y${HAT}ᵢ = s},`,
  [String.raw`$s, b$`]: 's, b',
  [String.raw`$b_r =10$`]: 'bᵣ = 10',
  [String.raw`$\log$`]: 'log',
  [String.raw`$(y_1, \ldots, y_n) \in \{\text{b},\text{s}\}^n$`]: '(y₁, …, yₙ) ∈ {b,s}ⁿ',
  [String.raw`$(\hat{y}_1, \ldots, \hat{y}_n) \in \{\text{b},\text{s}\}^n$`]: `(y${HAT}₁, …, y${HAT}ₙ) ∈ {b,s}ⁿ`,
  [String.raw`$(w_1, \ldots, w_n) \in {\mathbb{R}^+}^n$`]: '(w₁, …, wₙ) ∈ ℝ⁺ⁿ',
  [String.raw`$\mathbb{1}\{A\}$`]: '𝟙{A}',
  [String.raw`$A$`]: 'A',
  // CMS machine learning samples and tools
  [String.raw`$k_t$`]: 'kₜ',
  [String.raw`$R = 0.4$`]: 'R = 0.4',
  [String.raw`$\eta$`]: 'η',
  [String.raw`$\phi$`]: 'ϕ',
  [String.raw`$r$`]: 'r',
  [String.raw`$O(10^6)$`]: 'O(10⁶)',
  [String.raw`$O(10^3)$`]: 'O(10³)',
  // CMS luminosity
  [String.raw`$\sqrt{s}=5.02~\mathrm{TeV}$`]: `√s = 5.02${NBSP}TeV`,
  [String.raw`$\sqrt{s} =$`]: '√s =',
  // CMS outreach analyses
  [String.raw`$H\rightarrow ZZ\rightarrow 4\ell$`]: 'H → ZZ → 4ℓ',
  [String.raw`$gg\rightarrow H$`]: 'gg → H',
  [String.raw`$qq\rightarrow H$`]: 'qq → H',
  [String.raw`$Z\rightarrow\tau\tau$`]: 'Z → ττ',
  [String.raw`$Z\rightarrow ll$`]: 'Z → ll',
  [String.raw`$W+\mathrm{jets}$`]: 'W + jets',
  [String.raw`$t\overline{t}$`]: `t${'t' + MACRON}`,
  [String.raw`$\mathrm{QCD}$`]: 'QCD',
  // LHCb
  [String.raw`$B^{\pm} \to J/\psi (\to \mu^{+} \mu^{-}) K^{\pm}$`]: B_TO_JPSI_K,
  // OPERA tau neutrino events: ordinals, Greek letters, values with errors
  [String.raw`$^{nd}$`]: 'ⁿᵈ',
  [String.raw`$^{rd}$`]: 'ʳᵈ',
  [String.raw`$^{st}$`]: 'ˢᵗ',
  [String.raw`$^{th}$`]: 'ᵗʰ',
  [String.raw`$2^{nd}$`]: '2ⁿᵈ',
  [String.raw`$9^{th}$`]: '9ᵗʰ',
  [String.raw`$14^{th}$`]: '14ᵗʰ',
  [String.raw`$15^{th}$`]: '15ᵗʰ',
  [String.raw`$16^{th}$`]: '16ᵗʰ',
  [String.raw`$19^{th}$`]: '19ᵗʰ',
  [String.raw`$20^{th}$`]: '20ᵗʰ',
  [String.raw`$21^{st}$`]: '21ˢᵗ',
  [String.raw`$23^{rd}$`]: '23ʳᵈ',
  [String.raw`$24^{th}$`]: '24ᵗʰ',
  [String.raw`$25^{th}$`]: '25ᵗʰ',
  [String.raw`$35^{st}$`]: '35ˢᵗ',
  [String.raw`$36^{nd}$`]: '36ⁿᵈ',
  [String.raw`$37^{th}$`]: '37ᵗʰ',
  [String.raw`$38^{th}$`]: '38ᵗʰ',
  [String.raw`$54^{th}$`]: '54ᵗʰ',
  [String.raw`$55^{th}$`]: '55ᵗʰ',
  [String.raw`$^2$`]: '²',
  ['$' + String.raw`{^{2}}$`]: '²',
  [String.raw`$\tan\vartheta = 3$`]: 'tan ϑ = 3',
  [String.raw`$\tan\vartheta=3$`]: 'tan ϑ = 3',
  [String.raw`$\tan \vartheta = 3$`]: 'tan ϑ = 3',
  [String.raw`$\tan\theta=3$`]: 'tan θ = 3',
  ['$' + String.raw`{\tan\theta=3}$`]: 'tan θ = 3',
  [String.raw`$\mu$`]: 'μ',
  ['$' + String.raw`{\mu}$`]: 'μ',
  [String.raw`$\tau$`]: 'τ',
  ['$' + String.raw`{\tau}$`]: 'τ',
  [String.raw`$\gamma$`]: 'γ',
  ['$' + String.raw`{\gamma}$`]: 'γ',
  [String.raw`$\sigma$`]: 'σ',
  ['$' + String.raw`{\pi}$`]: 'π',
  [String.raw`$\rho$`]: 'ρ',
  [String.raw`$\pi^0$`]: 'π⁰',
  [String.raw`$\pi^-$`]: 'π⁻',
  ['$' + String.raw`{0\mu}$`]: '0μ',
  [String.raw`$z\tau$`]: 'zτ',
  [String.raw`$\nu_\tau$`]: 'ν_τ',
  ['$' + String.raw`{\nu_\tau}$`]: 'ν_τ',
  [String.raw`$\nu_{\tau}$`]: 'ν_τ',
  [String.raw`$\nu_\mu$`]: 'ν_μ',
  [String.raw`$\nu_{\mu}$`]: 'ν_μ',
  [String.raw`$\tau\rightarrow\rho^{-}\nu_\tau$`]: 'τ → ρ⁻ν_τ',
  [String.raw`$\rho^- \nu_{\tau}$`]: 'ρ⁻ ν_τ',
  [String.raw`$\rho^- \rightarrow \pi^{-} \pi^0$`]: 'ρ⁻ → π⁻ π⁰',
  ['$' + String.raw`{\theta_{kink}}$`]: 'θₖᵢₙₖ',
  ['$' + String.raw`{\theta_{kink}=(90\pm 2)}$`]: 'θₖᵢₙₖ = (90 ± 2)',
  [String.raw`$\%$`]: '%',
  ['$' + String.raw`{\%}$`]: '%',
  ['$' + String.raw`{32\%}$`]: '32%',
  ['$' + String.raw`{82\%}$`]: '82%',
  ['$' + String.raw`{90\%}$`]: '90%',
  [String.raw`$0.01\%$`]: '0.01%',
  [String.raw`$72.3\%$`]: '72.3%',
  [String.raw`$6.8$`]: '6.8',
  [String.raw`$9.6$`]: '9.6',
  [String.raw`$16.4$`]: '16.4',
  [String.raw`$23.2$`]: '23.2',
  [String.raw`$24.3$`]: '24.3',
  [String.raw`$26.5$`]: '26.5',
  [String.raw`$103$`]: '103',
  [String.raw`$1160$`]: '1160',
  [String.raw`$(41\pm 2)$`]: '(41 ± 2)',
  [String.raw`$(87.4\pm 1.5)$`]: '(87.4 ± 1.5)',
  ['$' + String.raw`{(0.5\pm 0.5)}$`]: '(0.5 ± 0.5)',
  ['$' + String.raw`{(1.1\pm 0.2)}$`]: '(1.1 ± 0.2)',
  ['$' + String.raw`{(12\pm 4)}$`]: '(12 ± 4)',
  ['$' + String.raw`{(83 \pm 5)}$`]: '(83 ± 5)',
  ['$' + String.raw`{(137 \pm 4)}$`]: '(137 ± 4)',
  ['$' + String.raw`{(245\pm 5)}$`]: '(245 ± 5)',
  ['$' + String.raw`{(376\pm 10)}$`]: '(376 ± 10)',
  ['$' + String.raw`{(93.7\pm 1.1)}$`]: '(93.7 ± 1.1)',
  ['$' + String.raw`{(960 \pm 30)}$`]: '(960 ± 30)',
  ['$' + String.raw`{(1090 \pm 30)}$`]: '(1090 ± 30)',
  ['$' + String.raw`{(1335\pm 35)}$`]: '(1335 ± 35)',
  ['$' + String.raw`{(1466\pm 10)}$`]: '(1466 ± 10)',
  ['$' + String.raw`{(1.45 \pm 0.06)}$`]: '(1.45 ± 0.06)',
  ['$' + String.raw`{(1.38 \pm 0.14)}$`]: '(1.38 ± 0.14)',
  [String.raw`$(120\pm 20(\textit{stat.})\pm 35(\textit{syst.}))$`]:
    '(120 ± 20(stat.) ± 35(syst.))',
  [String.raw`$(640^{+125}_{-80}(stat.)^{+100}_{-90}(syst.))$`]:
    '(640⁺¹²⁵₋₈₀(stat.)⁺¹⁰⁰₋₉₀(syst.))',
  // Asymmetric errors with decimals: Unicode has no superscript point
  [String.raw`$(12.7^{+1.7}_{-2.3})$`]: '(12.7 +1.7/−2.3)',
  [String.raw`$(14.4^{+3.9}_{-2.7})$`]: '(14.4 +3.9/−2.7)',
  [String.raw`$(6.8^{+0.9}_{-0.6})$`]: '(6.8 +0.9/−0.6)',
  ['$' + String.raw`{3.1^{+0.9}_{-0.5}}$`]: '3.1 +0.9/−0.5',
  ['$' + String.raw`{3.1^{+0.9}_{-0.6}}$`]: '3.1 +0.9/−0.6',
  ['$' + String.raw`{11.0^{+13.9}_{-3.9}}$`]: '11.0 +13.9/−3.9',
  ['$' + String.raw`{_\mu = (2.8\pm 0.2)}$`]: '_μ = (2.8 ± 0.2)',
  [String.raw`$4 \times 10^{-24}$`]: '4 × 10⁻²⁴',
  [String.raw`$10^{-4}$`]: '10⁻⁴',
  ['$' + String.raw`{10^{-3}}$`]: '10⁻³',
  ['$' + String.raw`{\sim 85}$`]: '∼85',
  ['$' + String.raw`{5.6\sigma}$`]: '5.6σ'
};

/** The formulas of a text, found here independently of texToText's scanner. */
const FORMULA = /\\\[[\s\S]+?\\\]|\$[^$]+\$/g;

/** The text with each formula replaced by its hand-written reading. */
function expectedText(text: string, where: string): string {
  return text.replace(FORMULA, tex => {
    if (!(tex in FORMULAS)) throw new Error(`${where}: no expected text for ${tex}`);
    return FORMULAS[tex];
  });
}

const index = gunzipJson(path.join(catalogDir, 'index.json.gz'));
const columns = index.columns as { recid: string[]; title: string[]; abstract: string[] };

/** Full records from the shards: their abstract is the portal's HTML. */
function fullAbstracts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of fs.readdirSync(path.join(catalogDir, 'records'))) {
    const shard = gunzipJson(path.join(catalogDir, 'records', name)) as Record<
      string,
      { abstract?: { description?: string } }
    >;
    for (const [recid, record] of Object.entries(shard)) {
      const text = record.abstract?.description;
      if (text) out.set(recid, text);
    }
  }
  return out;
}

const carriesTeX = (text: string) => /\$|\\\[|\\\(/.test(text);

describe('texToText on the snapshot', () => {
  it('reads every title that carries TeX as a reader would write it', () => {
    const withTeX = columns.recid.filter((_, i) => carriesTeX(columns.title[i]));
    expect(withTeX.sort()).toEqual(Object.keys(TITLES).sort());
    for (const recid of withTeX) {
      const title = columns.title[columns.recid.indexOf(recid)];
      expect([recid, texToText(title)]).toEqual([recid, TITLES[recid]]);
    }
  });

  it('leaves no $ or backslash in any of the 46,842 titles and changes no title without TeX', () => {
    expect(columns.title).toHaveLength(46_842);
    columns.title.forEach((title, i) => {
      const text = texToText(title);
      if (/[$\\]/.test(text)) throw new Error(`record ${columns.recid[i]}: ${text}`);
      if (!carriesTeX(title) && text !== title) {
        throw new Error(`record ${columns.recid[i]}: ${title} became ${text}`);
      }
    });
  });

  it('reads every abstract that carries TeX (the index text and the full HTML)', () => {
    const full = fullAbstracts();
    const sources: [string, Map<string, string>][] = [
      ['index', new Map(columns.recid.map((recid, i) => [recid, columns.abstract[i] ?? '']))],
      ['record', full]
    ];
    for (const [source, abstracts] of sources) {
      const withTeX = [...abstracts].filter(([, text]) => carriesTeX(text)).map(([id]) => id);
      expect([source, withTeX.sort()]).toEqual([source, [...ABSTRACTS].sort()]);
      for (const recid of withTeX) {
        const text = abstracts.get(recid)!;
        const where = `${source} abstract of record ${recid}`;
        const converted = texToText(text);
        expect([where, converted]).toEqual([where, expectedText(text, where)]);
        expect([where, /[$\\]/.test(converted)]).toEqual([where, false]);
      }
    }
  });
});

describe('texToText', () => {
  it('leaves prices, escaped dollars and text without TeX alone', () => {
    for (const text of [
      'Costs $5 and $6',
      'between $5-$10 per GB',
      'US$ 5 or $ 6',
      String.raw`a literal \$5 sign`,
      'no TeX here',
      '$ unbalanced',
      'ends with $',
      '$ $'
    ]) {
      expect(texToText(text)).toBe(text);
    }
  });

  it('reads the other delimiters: $$…$$, \\(…\\), \\[…\\]', () => {
    expect(texToText('$$E=mc^2$$')).toBe('E = mc²');
    expect(texToText(String.raw`mass \(m_{ee}\) here`)).toBe('mass mₑₑ here');
    expect(texToText(String.raw`\[ \sqrt{s} = 13\,\mathrm{TeV} \]`)).toBe('√s = 13\u2009TeV');
  });

  it('spaces relations and binary operators, not unary signs', () => {
    expect(texToText(String.raw`$a\pm b$`)).toBe('a ± b');
    expect(texToText(String.raw`$\pm 1$`)).toBe('±1');
    expect(texToText(String.raw`$x=-1$`)).toBe('x = −1');
    expect(texToText(String.raw`$p_T > 20$`)).toBe('p_T > 20');
    expect(texToText(String.raw`$\sin\theta$`)).toBe('sin θ');
  });

  it('uses Unicode scripts where they exist and a plain fallback otherwise', () => {
    expect(texToText(String.raw`$x^{2}_{0}$`)).toBe('x²₀');
    expect(texToText(String.raw`$D^{*+}$`)).toBe('D^(*+)');
    expect(texToText(String.raw`$D^{*}$`)).toBe('D*');
    expect(texToText(String.raw`$90^\circ$`)).toBe('90°');
    expect(texToText(String.raw`$E_{\mathrm{T}}^{\mathrm{miss}}$`)).toBe('E_Tᵐⁱˢˢ');
  });

  it('unwraps fonts, accents letters and names unknown commands without the backslash', () => {
    expect(texToText(String.raw`$\mathrm{GeV}/c^2$`)).toBe('GeV/c²');
    expect(texToText(String.raw`$\text{a - b}$`)).toBe('a - b');
    expect(texToText(String.raw`$\bar{\nu}_e$`)).toBe(`ν${MACRON}ₑ`);
    expect(texToText(String.raw`$\vec{p}$`)).toBe('p\u20d7');
    expect(texToText(String.raw`$\frac{1}{2}$`)).toBe('1/2');
    expect(texToText(String.raw`$\frac{a+b}{c}$`)).toBe('(a + b)/c');
    expect(texToText(String.raw`$\GeV$`)).toBe('GeV');
    expect(texToText(String.raw`$\Upsilon(1S)$`)).toBe('Υ(1S)');
    expect(texToText(String.raw`$\Lambda_b^0$`)).toBe('Λ_b⁰');
  });
});
