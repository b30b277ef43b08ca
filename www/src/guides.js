// Mounts the guidance parts of the page: the posture score, the tutorial, the builder,
// dark mode and the keyboard shortcuts. `page` is main.js's small interface to the
// editors and the engine's latest answers.
import { mountBuilder } from './builder.js';
import { mountKeys } from './keys.js';
import { mountScore } from './score-view.js';
import { mountTheme } from './theme.js';
import { mountTutorial } from './tutorial.js';

const $ = (id) => document.getElementById(id);

/** Shows or hides the tutorial or builder panel, keeping its button's state in step. */
function panelToggle(name) {
  const panel = $(name);
  const button = $(`open-${name}`);
  return (show = panel.classList.contains('hidden')) => {
    panel.classList.toggle('hidden', !show);
    button.setAttribute('aria-expanded', String(show));
    if (show) panel.scrollIntoView?.({ block: 'nearest' });
  };
}

/** Mounts everything on the page's elements (ids in index.html). */
export function mountGuides(page) {
  const toggles = { tutorial: panelToggle('tutorial'), builder: panelToggle('builder') };
  for (const name of Object.keys(toggles)) $(`open-${name}`).addEventListener('click', () => toggles[name]());
  mountScore($('score'), page);
  mountTutorial($('tutorial'), page);
  mountBuilder($('builder'), page);
  mountTheme($('theme'), page.setDark);
  const dialog = $('keys-dialog');
  mountKeys({ dialog, list: $('keys-list'), open: (name) => toggles[name]?.(true) });
  $('keys-open').addEventListener('click', () => dialog.showModal());
}
