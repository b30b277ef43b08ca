// DOM helpers shared by the page's modules: escaping, rich text, debouncing.

/** Escapes text for HTML content and attribute values. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders `backticked` spans of a message as code, the rest as text. */
export function richText(text) {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Calls `fn` once `ms` after the last call. */
export function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
