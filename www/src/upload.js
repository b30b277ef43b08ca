// Upload and visualise: manifest files opened with the Open buttons (files, or a
// folder where the browser offers `webkitdirectory`) or dropped anywhere on the page
// are read as UTF-8, sorted into the two panes by kind in the worker (manifests.js),
// and analysed like any edit. A file that cannot be read is named, with the reason.
import { Cancelled } from './engine.js';
import { MANIFEST_NAME } from './manifests.js';

/** Past this size a file is not read (the page would not stay usable). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's name as its place in a folder, when it came from one. */
function pathOf(file) {
  return file.webkitRelativePath || file.relativePath || file.name;
}

/** `{name, text}`, or `{name, problem}` when the bytes are not UTF-8 text. */
async function decode(file) {
  const name = pathOf(file);
  if (file.size > MAX_FILE_BYTES) return { name, problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, not read` };
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch (err) {
    return { name, problem: `could not be read (${err.message})` };
  }
  try {
    return { name, text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { name, problem: 'not UTF-8 text (is it a binary file, or in another encoding?)' };
  }
}

/** The files under a dropped folder entry (Chromium, Firefox and Safari offer these). */
async function entryFiles(entry, prefix = '') {
  if (entry.isFile) {
    const file = await new Promise((ok, fail) => entry.file(ok, fail));
    file.relativePath = `${prefix}${file.name}`;
    return [file];
  }
  if (!entry.isDirectory) return [];
  const reader = entry.createReader();
  const children = [];
  for (;;) {
    const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
    if (!batch.length) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => entryFiles(child, `${prefix}${entry.name}/`)));
  return nested.flat();
}

/** The files of a drop: folders walked where the browser lets us, else the plain list. */
async function droppedFiles(transfer) {
  const entries = [...(transfer.items ?? [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...(transfer.files ?? [])];
  return (await Promise.all(entries.map((entry) => entryFiles(entry)))).flat();
}

/** What the upload message says about a finished upload. */
export function uploadSummary({ read, problems, objects }, skipped) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`Opened ${plural(read, 'file')}: ${plural(objects.policies, 'object')} in the policies pane, ${plural(objects.cluster, 'object')} in the cluster pane.`];
  if (!read) parts[0] = 'Nothing opened.';
  if (skipped) parts.push(`${plural(skipped, 'file')} skipped (not .yaml, .yml or .json).`);
  for (const problem of problems) parts.push(`Not opened: ${problem}.`);
  return parts.join(' ');
}

/**
 * Mounts the Open buttons and the page as a drop target. `engine` sorts the files
 * (the worker's `manifests` job); `setInput({policies, cluster})` loads the panes.
 */
export function mountUpload({ filesButton, filesInput, folderButton, folderInput, message, engine, setInput }) {
  const say = (text, failed = false) => {
    message.textContent = text;
    message.classList.toggle('banner-error', failed);
    message.classList.toggle('hidden', !text);
  };

  async function open(files) {
    const manifests = files.filter((file) => MANIFEST_NAME.test(file.name));
    const skipped = files.length - manifests.length;
    if (!manifests.length) {
      say(files.length ? 'No manifest among these files: open .yaml, .yml or .json files.' : '', true);
      return;
    }
    say(`Reading ${manifests.length} file${manifests.length === 1 ? '' : 's'}…`);
    const decoded = await Promise.all(manifests.map(decode));
    decoded.sort((a, b) => a.name.localeCompare(b.name));
    let sorted;
    try {
      sorted = await engine.ask('manifests', null, decoded);
    } catch (err) {
      if (err instanceof Cancelled) return; // a newer upload replaced this one
      say(`The files could not be sorted: ${err.message}`, true);
      return;
    }
    say(uploadSummary(sorted, skipped), sorted.read === 0);
    if (sorted.read) setInput({ policies: sorted.policies, cluster: sorted.cluster });
  }

  filesButton.addEventListener('click', () => filesInput.click());
  folderButton.addEventListener('click', () => folderInput.click());
  for (const input of [filesInput, folderInput]) {
    input.addEventListener('change', () => {
      const files = [...input.files];
      input.value = '';
      open(files);
    });
  }
  // A folder button only where the browser can pick folders.
  if (!('webkitdirectory' in folderInput)) folderButton.classList.add('hidden');

  const body = document.body;
  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  body.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    body.dataset.dropping = 'true';
  });
  body.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) delete body.dataset.dropping;
  });
  body.addEventListener('drop', async (event) => {
    if (!carriesFiles(event)) return;
    // Files dropped anywhere, an editor included, are opened rather than pasted.
    event.preventDefault();
    event.stopPropagation();
    delete body.dataset.dropping;
    open(await droppedFiles(event.dataTransfer));
  }, true);
}
