// Dark mode: follows the system's prefers-color-scheme until the user picks one with
// the toggle; the choice is kept in localStorage. The page's colours are CSS variables
// keyed on `data-theme` of <html>; the editors switch their own theme.
const KEY = 'netpol-theme';

function stored() {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'dark' || value === 'light' ? value : null;
  } catch {
    return null;
  }
}

function store(value) {
  try {
    localStorage.setItem(KEY, value);
  } catch {
    // Storage may be off (private mode): the choice then lasts for this page.
  }
}

/**
 * Applies the theme now and keeps it in step; `toggle` is the button,
 * `onTheme(dark)` updates what CSS cannot (the editors).
 */
export function mountTheme(toggle, onTheme) {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  let choice = stored();
  const apply = () => {
    const dark = (choice ?? (media.matches ? 'dark' : 'light')) === 'dark';
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    toggle.setAttribute('aria-pressed', String(dark));
    onTheme(dark);
  };
  media.addEventListener('change', () => {
    if (!choice) apply();
  });
  toggle.addEventListener('click', () => {
    choice = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    store(choice);
    apply();
  });
  apply();
}
