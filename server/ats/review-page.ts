import { Hono } from "hono";
import { html } from "hono/html";
import type { RiskReport } from "../../shared/signals.js";
import type { AppEnv } from "../http/env.js";
import type { InterviewService } from "../interviews/index.js";
import type { ReportService } from "../reports/index.js";
import type { Store } from "../store/index.js";
import type { ReviewLinks } from "./review-links.js";

export interface ReviewPageDeps {
  links: ReviewLinks;
  store: Store;
  reports: ReportService;
  interviews: InterviewService;
}

const page = (title: string, body: ReturnType<typeof html>) =>
  html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
      </head>
      <body>
        ${body}
      </body>
    </html>`;

const flagList = (report: RiskReport) =>
  report.flags.length
    ? html`<ul id="flags">
        ${report.flags.map((f) => html`<li data-flag="${f.id}"><strong>${f.severity}: ${f.title}</strong><p>${f.explanation}</p></li>`)}
      </ul>`
    : html`<p id="flags">No red flags.</p>`;

/**
 * `/ats/review/:token`: the page an ATS links to (`partner_profile_url`). The signed token is the
 * credential and opens this one interview's report, read-only, never other candidates' names.
 * Before the candidate opens their link, the recruiter can issue it here (shown once).
 */
export function reviewPageRoutes(deps: ReviewPageDeps) {
  const load = async (token: string) => {
    const id = await deps.links.verify(token);
    return id ? deps.store.getInterview(id) : undefined;
  };
  const gone = () => page("Link expired", html`<h1>This review link has expired or is not valid</h1><p>Open the result again from your applicant-tracking system.</p>`);
  return new Hono<AppEnv>()
    .get("/:token", async (c) => {
      const interview = await load(c.req.param("token"));
      if (!interview) return c.html(gone(), 404);
      const report = await deps.reports.forInterview(interview.id, { namesOfOthers: false });
      const issue =
        interview.status === "created"
          ? html`<form method="post" action="${c.req.path}/candidate-link">
              <p>The candidate has not opened their link yet. Issue it here and send it to them (it is shown once; issuing again replaces it).</p>
              <button type="submit" id="issue-link">Issue the candidate's link</button>
            </form>`
          : "";
      return c.html(
        page(
          `Verification: ${interview.candidateName}`,
          html`<h1>Identity verification: ${interview.candidateName}</h1>
            <p>Status: <span id="status">${interview.status}</span> · Risk: <span id="risk-level">${report.level}</span></p>
            ${issue} ${flagList(report)}`,
        ),
      );
    })
    .post("/:token/candidate-link", async (c) => {
      const interview = await load(c.req.param("token"));
      if (!interview) return c.html(gone(), 404);
      const url = await deps.interviews.reissueUnopenedCandidateLink(interview.id);
      if (!url) return c.html(page("Link already in use", html`<h1>The candidate has already opened their link</h1><p>It is not replaced under them.</p>`), 409);
      return c.html(
        page(
          "Candidate link",
          html`<h1>The candidate's link</h1>
            <p>Send this to ${interview.candidateName}. It is shown only now.</p>
            <p><input id="candidate-link" readonly size="80" value="${url}" /></p>`,
        ),
      );
    });
}
