// Switch the language as soon as one is picked in the header's menu (an external
// script rather than an inline onchange handler, which the Content-Security-Policy forbids).
const select = document.getElementById("language-select");
if (select) select.addEventListener("change", () => select.form.submit());
