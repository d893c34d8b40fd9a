// Controls a thumb must hit that are under 44 px high (tests/browser/test_thumb_sized.py).
// Links standing alone count, not words in a sentence or in a lesson's text;
// a choice counts with its label.
(() => {
  const small = [];
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const words = (el) => el.textContent.replace(/\s+/g, " ").trim();
  const inSentence = (link) => {
    const block = link.closest("p, li, dd, td, figcaption");
    return block !== null && words(block).length > words(link).length + 3;
  };
  const height = (el) => el.getBoundingClientRect().height;
  const controls = document.querySelectorAll(
    "a[href], button, select, textarea, " +
    "input:not([type=hidden]):not([type=radio]):not([type=checkbox])");
  for (const el of controls) {
    if (!shown(el) || el.closest(".lesson, .prose, .skip-link")) continue;
    if (el.tagName === "A" && inSentence(el)) continue;
    if (height(el) < 44) small.push(`${el.tagName} "${words(el).slice(0, 40)}" ${height(el)}px`);
  }
  for (const el of document.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    if (!shown(el)) continue;
    const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
    const tall = Math.max(height(el), label ? height(label) : 0);
    if (tall < 44) small.push(`choice "${label ? words(label).slice(0, 40) : el.name}" ${tall}px`);
  }
  return small;
})
