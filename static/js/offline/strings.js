// The offline app's words, translated by the server into the page (villages/templatetags/sog_offline.py).
const element = document.getElementById("offline-strings");
const strings = element ? JSON.parse(element.textContent) : {};

export function t(key, params = {}) {
  const text = strings[key] || key;
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in params ? String(params[name]) : match));
}
