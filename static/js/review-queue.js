// Review queue: one box ticks or clears every log, for bulk decisions.
const all = document.getElementById("select-all");
if (all) {
  all.addEventListener("change", () => {
    for (const box of document.querySelectorAll('input[name="ids"]')) box.checked = all.checked;
  });
}
