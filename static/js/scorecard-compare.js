// Join the ticked villages into one "villages" parameter so the link can be shared.
const form = document.querySelector(".period-form");
const field = document.getElementById("villages-field");
if (form && field) {
  form.addEventListener("submit", () => {
    const picked = [...form.querySelectorAll("input.pick:checked")].map((i) => i.value);
    field.value = picked.join(",");
  });
}
