// The two manifest editors (CodeMirror 6): YAML highlighting, line numbers, and
// netpol's findings as underlines and gutter markers (message on hover).
import { basicSetup } from 'codemirror';
import { EditorView, Decoration } from '@codemirror/view';
import { Compartment, EditorState, StateEffect, StateField } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { richText } from './dom.js';

const flashEffect = StateEffect.define();
const flashMark = Decoration.line({ class: 'cm-flash' });

/** A short highlight of the line an explanation or finding points at. */
const flashField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(flashEffect)) deco = e.value === null ? Decoration.none : Decoration.set([flashMark.range(e.value)]);
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The slot of the colour theme in each editor (empty: the light default). */
const themeSlot = new Compartment();

/** One Dark with comments light enough to read (contrast 4.5:1 and more; line numbers: style.css). */
const darkTheme = [
  syntaxHighlighting(HighlightStyle.define([{ tag: tags.comment, color: '#a3acbb' }])),
  oneDark,
];

/** Switches an editor between the light default and the dark theme. */
export function setDarkTheme(view, dark) {
  view.dispatch({ effects: themeSlot.reconfigure(dark ? darkTheme : []) });
}

/** Creates an editor in `parent`; `onChange(text)` runs after each edit. */
export function createEditor(parent, { doc = '', label, onChange }) {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        flashField,
        themeSlot.of([]),
        EditorState.tabSize.of(2),
        // tabindex: the content is the scroller's focusable part for assistive tools too.
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Replaces the whole text (an example, a shared link). */
export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

const SEVERITY = { error: 'error', warning: 'warning', info: 'info' };

/** The document offset of a 1-based line and a 1-based UTF-16 column, clamped. */
export function offsetOf(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line || 1, 1), doc.lines));
  return l.from + Math.min(Math.max((column || 1) - 1, 0), l.length);
}

/** UTF-16 start and end columns of a finding (the JS API adds them), else its columns. */
function utf16Columns(f) {
  return { start: f.utf16Column || f.column, end: f.utf16EndColumn || f.endColumn };
}

/** A CodeMirror diagnostic for a lint finding of this editor's file. */
export function toDiagnostic(doc, f) {
  const { start, end } = utf16Columns(f);
  const from = offsetOf(doc, f.line, start);
  let to = f.endLine ? offsetOf(doc, f.endLine, end) : from;
  if (to <= from) {
    const line = doc.lineAt(from);
    to = line.to > from ? line.to : Math.min(from + 1, doc.length);
  }
  const help = f.help ? `\nhelp: ${f.help}` : '';
  return {
    from,
    to: Math.max(to, from),
    severity: SEVERITY[f.severity] ?? 'info',
    source: f.ruleId,
    message: `${f.message}${help}`,
    renderMessage() {
      const el = document.createElement('div');
      el.className = 'lint-message';
      el.innerHTML = `${richText(f.message)}${f.help ? `<div class="lint-help">help: ${richText(f.help)}</div>` : ''}`;
      return el;
    },
  };
}

/** Shows the findings of this editor's file as underlines and gutter markers. */
export function showFindings(view, findings) {
  const doc = view.state.doc;
  view.dispatch(setDiagnostics(view.state, findings.map((f) => toDiagnostic(doc, f))));
}

/** Moves the cursor to a line (and column), scrolls it into view and highlights it. */
export function jumpTo(view, line, column = 1) {
  const doc = view.state.doc;
  const pos = offsetOf(doc, line, column);
  view.dispatch({
    selection: { anchor: pos },
    effects: [EditorView.scrollIntoView(pos, { y: 'center' }), flashEffect.of(doc.lineAt(pos).from)],
  });
  view.focus();
  clearTimeout(view.flashTimer);
  view.flashTimer = setTimeout(() => view.dispatch({ effects: flashEffect.of(null) }), 1600);
}
