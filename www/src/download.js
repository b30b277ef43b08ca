// Downloads made in the page: the editors' YAML, and the pictures as SVG (styles
// written into the file, so it looks the same anywhere) or PNG (the SVG drawn on a
// canvas at twice its size).

/** The CSS properties copied from the page onto each element of an exported SVG. */
const STYLED = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity',
  'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'display',
  'paint-order', 'stroke-linejoin',
];

/** Saves `blob` as `name` through a temporary link. */
export function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a text (the YAML of an editor). */
export function saveText(text, name, type = 'application/yaml') {
  save(new Blob([text], { type }), name);
}

/** A standalone copy of `svg`: computed styles inlined, a white background, a size. */
export function standaloneSvg(svg) {
  const copy = svg.cloneNode(true);
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const style = getComputedStyle(el);
    const inline = STYLED.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';');
    copies[i].setAttribute('style', inline);
  });
  const box = svg.viewBox.baseVal;
  copy.setAttribute('width', String(Math.round(box.width)));
  copy.setAttribute('height', String(Math.round(box.height)));
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({ x: box.x, y: box.y, width: box.width, height: box.height, fill: '#ffffff' })) {
    background.setAttribute(k, String(v));
  }
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

/** Saves `svg` as an SVG file. */
export function saveSvg(svg, name) {
  save(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), name);
}

/** `svg` drawn on a canvas at `scale` times its size, as a PNG blob. */
export async function pngOf(svg, scale = 2) {
  const text = standaloneSvg(svg);
  const box = svg.viewBox.baseVal;
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    // Browsers cap a canvas' side; a very large graph is drawn smaller.
    const fitted = Math.min(scale, 8000 / Math.max(box.width, box.height, 1));
    canvas.width = Math.max(1, Math.round(box.width * fitted));
    canvas.height = Math.max(1, Math.round(box.height * fitted));
    canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture could not be encoded'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves `svg` as a PNG file. */
export async function savePng(svg, name) {
  save(await pngOf(svg), name);
}
