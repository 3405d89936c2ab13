// Test-only (src/test/resources): an external script is allowed by the pages' policy.
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("external").textContent = "external script ran";
});
