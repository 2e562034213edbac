import "../ui/styles.css";
import { CreatedInterview } from "../../shared/interview.js";
import { ApiError, request } from "../api/http.js";
import { h, mount } from "../ui/dom.js";

const form = document.getElementById("create") as HTMLFormElement;
const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
const KEY = "verify-kit.apiKey";
(document.getElementById("api-key") as HTMLInputElement).value = sessionStorage.getItem(KEY) ?? "";

const copyable = (label: string, url: string, id: string) =>
  h(
    "div",
    {},
    h("label", {}, label),
    h("code", { class: "link", id }, url),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => void navigator.clipboard?.writeText(url) }, "Copy")),
  );

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const result = document.getElementById("result")!;
  sessionStorage.setItem(KEY, value("api-key"));
  const body = {
    candidate: { name: value("name"), ...(value("email") ? { email: value("email") } : {}) },
    ...(value("country") ? { claimedLocation: { country: value("country") } } : {}),
  };
  try {
    const created = await request("POST", "/v1/interviews", CreatedInterview, {
      body,
      headers: { authorization: `Bearer ${value("api-key")}` },
    });
    mount(
      result,
      h("div", { class: "banner ok" }, "Interview created. Send the candidate link; keep the interviewer link to yourself."),
      copyable("Candidate link", created.candidateUrl, "candidate-url"),
      copyable("Interviewer link", created.interviewerUrl, "interviewer-url"),
    );
  } catch (err) {
    mount(result, h("div", { class: "banner error" }, err instanceof ApiError ? err.message : String(err)));
  }
});
