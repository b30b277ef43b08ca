// Small helpers shared by the page's modules.

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

/** `[[80,80],[8080,8090]]` as `80, 8080-8090`; every port as `all ports`. */
export function portText(ranges) {
  if (ranges.length === 1 && ranges[0][0] <= 1 && ranges[0][1] >= 65535) return 'all ports';
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}
