// The header's menu (templates/_site_header.html) is a <details>: on a phone it opens and
// closes by itself, without this script. On a wide screen the links fit in the header, so
// the disclosure is kept open there (its button is hidden by static/css/site.css).
const menu = document.getElementById("site-menu");
if (menu) {
  const wide = window.matchMedia("(min-width: 72rem)");
  const apply = () => { menu.open = wide.matches; };
  apply();
  wide.addEventListener("change", apply);
  // Escape closes the open menu on a phone and gives the focus back to its button.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}
