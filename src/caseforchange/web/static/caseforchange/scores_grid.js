// Scores grid: the up and down arrow keys move to the same box of the option above or below.
// Progressive enhancement only: without it the grid is an ordinary form (Tab along a row).
const grid = document.querySelector("[data-grid-keys]");

if (grid) {
  grid.addEventListener("keydown", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLElement) || !box.dataset.part) return;
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    // In a rationale the arrows move between lines, so only Alt+arrow leaves it.
    if (box.tagName === "TEXTAREA" && !event.altKey) return;
    const row = Number(box.dataset.row) + (event.key === "ArrowUp" ? -1 : 1);
    const next = grid.querySelector(
      `[data-row="${row}"][data-col="${box.dataset.col}"][data-part="${box.dataset.part}"]`,
    );
    if (next instanceof HTMLElement) {
      event.preventDefault();
      next.focus();
      if (next instanceof HTMLInputElement) next.select();
    }
  });
}
