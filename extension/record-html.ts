// The HTML fields of a record (abstract, usage, ...) made safe to show: what the portal's page
// shows (paragraphs, lists, tables, links) and nothing a hostile record could use to run code,
// cover the view (class, style), fake JupyterLab commands (data-commandlinker-*), or track the
// reader (remote images). Record metadata is untrusted: see issue 18.
import { PORTAL_URL, fileName } from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

/** Tags kept from record HTML; others are unwrapped (their text stays) or dropped with content. */
const ALLOWED_TAGS = [
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'cite',
  'code',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
  'var'
];

/** The only attributes kept, by tag: no class, style, id, data-* or event handler on any tag. */
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  img: ['src', 'alt'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan']
};

/** Elements removed with everything inside them (their text is code or markup, not prose). */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'textarea',
  'select',
  'button',
  'input',
  'audio',
  'video',
  'canvas',
  'head',
  'title',
  'meta',
  'link',
  'base'
]);

/**
 * Options for the sanitizer (JupyterLab's takes them as sanitize-html options). They narrow its
 * defaults; `cleanRecordHtml` enforces the same rules again on the result, so a sanitizer that
 * ignores options cannot let more through.
 */
export const RECORD_HTML_OPTIONS: IRenderMime.ISanitizerOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedStyles: {}
};

/** Hosts that serve the portal's pages: `/record/N` there is a record JupyterLab can show. */
const PORTAL_HOSTS = new Set(['opendata.cern.ch', 'www.opendata.cern.ch', 'opendata.web.cern.ch']);

/** Where a link of a record goes: another record (shown in JupyterLab) or a page in a new tab. */
export type RecordLink =
  { kind: 'record'; recid: string; url: string } | { kind: 'page'; url: string };

/**
 * A record's href, resolved as the portal resolves it (relative links are the portal's own:
 * `/record/5501`, `/docs/...`, `/search?...`). Only http(s) and mailto; anything else is null.
 */
export function recordLink(href: string): RecordLink | null {
  // No href (a sanitizer drops unsafe ones) is no link, not a link to the portal's home page.
  if (!href.trim()) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(href.trim(), PORTAL_URL + '/');
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') {
    return { kind: 'page', url: url.href };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return null;
  }
  if (PORTAL_HOSTS.has(url.hostname) && !url.username && !url.password) {
    const match = /^\/records?\/(\d+)\/?$/.exec(url.pathname);
    if (match) {
      return {
        kind: 'record',
        recid: match[1],
        url: `${PORTAL_URL}/record/${match[1]}${url.hash}`
      };
    }
  }
  return { kind: 'page', url: url.href };
}

/** A link element for a resolved record link (new tab with noopener unless it is a record). */
export function linkElement(link: RecordLink, label: string): HTMLAnchorElement {
  const a = document.createElement('a');
  setLink(a, link);
  a.textContent = label;
  return a;
}

function setLink(a: HTMLAnchorElement, link: RecordLink): void {
  a.href = link.url;
  a.className =
    link.kind === 'record' ? 'odl-RecordView-link' : 'odl-RecordView-link odl-mod-external';
  // Also on record links: a middle or modified click opens the portal's page in a new tab.
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
}

/** Images only from the portal itself (over https): others would tell third parties who reads. */
function portalImage(src: string): string | null {
  const link = recordLink(src);
  if (!link || link.kind !== 'page') {
    return null;
  }
  const url = new URL(link.url);
  return url.protocol === 'https:' && PORTAL_HOSTS.has(url.hostname) ? url.href : null;
}

/**
 * The sanitized HTML of a record field as a fragment of clean elements. It is parsed in an inert
 * template (no image loads, no handler runs) and walked: disallowed tags unwrapped or dropped,
 * attributes reduced to the allow-list, links resolved against the portal (unsafe ones become
 * text), images from other hosts replaced by a link to them.
 */
export function cleanRecordHtml(
  sanitizer: IRenderMime.ISanitizer,
  html: string,
  imageLabel: (name: string) => string
): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = sanitizer.sanitize(html, RECORD_HTML_OPTIONS);
  const fragment = template.content;
  cleanChildren(fragment, imageLabel);
  return document.importNode(fragment, true);
}

function cleanChildren(parent: ParentNode, imageLabel: (name: string) => string): void {
  for (const child of Array.from(parent.childNodes)) {
    if (child.nodeType === 8 /* comment */ || child.nodeType === 7 /* processing instruction */) {
      child.remove();
    } else if (child.nodeType === 1) {
      cleanElement(child as Element, imageLabel);
    }
  }
}

function cleanElement(element: Element, imageLabel: (name: string) => string): void {
  const tag = element.localName;
  if (DROPPED_WITH_CONTENT.has(tag) || element.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
    element.remove();
    return;
  }
  cleanChildren(element, imageLabel);
  if (!ALLOWED_TAGS.includes(tag)) {
    element.replaceWith(...Array.from(element.childNodes));
    return;
  }
  const keep = ALLOWED_ATTRIBUTES[tag] ?? [];
  for (const attribute of Array.from(element.attributes)) {
    if (!keep.includes(attribute.name)) {
      element.removeAttribute(attribute.name);
    }
  }
  if (tag === 'a') {
    const link = recordLink(element.getAttribute('href') ?? '');
    if (link) {
      setLink(element as HTMLAnchorElement, link);
    } else {
      element.replaceWith(...Array.from(element.childNodes));
    }
  } else if (tag === 'img') {
    const src = element.getAttribute('src') ?? '';
    const alt = (element.getAttribute('alt') ?? '').trim();
    const own = portalImage(src);
    if (own) {
      element.setAttribute('src', own);
      element.setAttribute('alt', alt);
      element.setAttribute('loading', 'lazy');
      element.setAttribute('referrerpolicy', 'no-referrer');
      element.className = 'odl-RecordView-image';
      return;
    }
    const link = recordLink(src);
    if (link && link.kind === 'page' && !link.url.startsWith('mailto:')) {
      const name = alt || decodeURIComponent(fileName(new URL(link.url).pathname)) || link.url;
      element.replaceWith(linkElement(link, imageLabel(name)));
    } else {
      element.remove();
    }
  } else if (tag === 'ol') {
    const start = element.getAttribute('start');
    if (start !== null && !/^\d{1,6}$/.test(start)) {
      element.removeAttribute('start');
    }
  } else if (tag === 'td' || tag === 'th') {
    for (const name of ['colspan', 'rowspan']) {
      const value = element.getAttribute(name);
      if (value !== null && !/^\d{1,3}$/.test(value)) {
        element.removeAttribute(name);
      }
    }
  }
}
