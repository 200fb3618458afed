// A few helpers to build the components' markup without HTML strings.

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** A labelled input with a message line announced to screen readers. */
export function field(id: string, label: string, attrs: Record<string, string> = {}): { row: HTMLElement; input: HTMLInputElement; error: HTMLElement } {
  const input = h("input", { id, name: id, "aria-describedby": id + "-error", ...attrs });
  const error = h("span", { id: id + "-error", class: "ccx-error", "aria-live": "polite" });
  const row = h("div", { class: "ccx-field" }, h("label", { for: id }, label), input, error);
  return { row, input, error };
}

/** The element selector names, or an error that says which selector was wrong. */
export function host(selector: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`No element matches ${selector}`);
  return el;
}
