// Coding page keys: 1-9 toggle a theme, a stance's letter chooses it, e marks evidence-rich,
// Enter saves and goes on (Ctrl+Enter also from the note). Progressive enhancement only: without it the page is an ordinary
// form (Tab, Space and the "Save and next" button). Keys typed into the note or a select
// are left alone; Escape leaves the note so the keys work again.
const form = document.querySelector("[data-coding-form]");

const typing = (el) =>
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  (el instanceof HTMLInputElement && !["checkbox", "radio"].includes(el.type));

if (form instanceof HTMLFormElement) {
  document.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    // Ctrl+Enter (Cmd+Enter) saves from anywhere, the note included.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (typing(target)) {
      if (event.key === "Escape" && target instanceof HTMLElement) target.blur();
      return;
    }
    if (event.key === "Enter") {
      // Links, buttons and the details summary keep their own Enter.
      if (target instanceof Element && target.closest("a, button, summary")) return;
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const key = event.key.toLowerCase();
    if (key.length !== 1) return;
    const box = form.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!(box instanceof HTMLInputElement) || box.disabled) return;
    event.preventDefault();
    box.checked = box.type === "checkbox" ? !box.checked : true;
    // Focus follows the key, so the visible focus shows what changed.
    box.focus();
  });
}
