// "Near me" on the list pages: measure the distances from this phone's position.
// Optional: without JavaScript (or without a position) the GET form works as it is.
const button = document.getElementById("list-near-me");

if (button && "geolocation" in navigator) {
  const { form } = button;
  const status = document.getElementById("list-status");
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const value = `${position.coords.longitude.toFixed(5)},${position.coords.latitude.toFixed(5)}`;
        const select = form.elements.near;
        if (![...select.options].some((option) => option.value === value)) {
          select.add(new Option(button.dataset.here, value), 1);
        }
        select.value = value;
        form.elements.sort.value = "distance";
        form.submit();
      },
      () => {
        status.textContent = button.dataset.unavailable;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  });
}
