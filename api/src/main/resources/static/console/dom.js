// Building the page from data. Every value goes in as text (textContent or a text node), never as
// markup: a description like <img src=x onerror=alert(1)> must show as those characters.

/**
 * el('button', {class: 'primary', type: 'button', onclick: fn}, 'Replay')
 * Attributes named on* become event listeners; `class` and the rest are attributes; children are
 * nodes or strings (strings become text nodes); null and false children are skipped.
 */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'style') {
      throw new Error('style attributes are refused by the Content-Security-Policy; use a class');
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** A problem (or any error) as a readable message in an alert box. */
export function problemBox(error) {
  return el('p', {class: 'problem', role: 'alert'}, error && error.message ? error.message : String(error));
}

/** Replaces the contents of `slot` with the message of `error`, or empties it when null. */
export function showProblem(slot, error) {
  clear(slot);
  if (error) {
    slot.append(problemBox(error));
  }
}

/**
 * A table that becomes a list of labelled cards on a narrow screen (CSS uses data-label).
 * columns: [{label, value: (item) => string | Node}]
 */
export function table(columns, items, rowAttributes) {
  const head = el('thead', null, el('tr', null, columns.map((column) => el('th', {scope: 'col'}, column.label))));
  const body = el('tbody');
  appendRows(body, columns, items, rowAttributes);
  return el('table', {class: 'data'}, head, body);
}

export function appendRows(tbody, columns, items, rowAttributes) {
  for (const item of items) {
    const row = el('tr', rowAttributes ? rowAttributes(item) : null);
    for (const column of columns) {
      const value = column.value(item);
      row.append(el('td', {'data-label': column.label}, value === null || value === undefined ? '' : value));
    }
    tbody.append(row);
  }
}

/** A link to another view of the console. */
export function viewLink(hash, text) {
  return el('a', {href: hash}, text);
}

/** A labelled form field. */
export function field(label, control) {
  return el('label', {class: 'field'}, el('span', null, label), control);
}

/** A page of {items, nextCursor} with a "More" button that loads the next one into the same table. */
export function pagedTable(columns, load, rowAttributes) {
  const holder = el('div', {class: 'paged'});
  const problems = el('div');
  const tableNode = table(columns, [], rowAttributes);
  const tbody = tableNode.querySelector('tbody');
  const empty = el('p', {class: 'muted', hidden: true}, 'Nothing found.');
  const more = el('button', {type: 'button', class: 'more', hidden: true}, 'More');
  let cursor = null;

  async function next() {
    more.disabled = true;
    showProblem(problems, null);
    try {
      const page = await load(cursor);
      appendRows(tbody, columns, page.items || [], rowAttributes);
      cursor = page.nextCursor || null;
      more.hidden = cursor === null;
      empty.hidden = tbody.children.length > 0;
    } catch (error) {
      showProblem(problems, error);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', next);
  append(holder, [problems, el('div', {class: 'scroll'}, tableNode), empty, more]);
  holder.ready = next();
  return holder;
}
