package com.imagina.credits.web;

import org.springframework.web.util.HtmlUtils;

/** The dev sign-in form, rendered on the server so it works before any script has loaded. */
final class DevSignInPage {
    private DevSignInPage() {}

    static String render(String accountId, String role, String error) {
        StringBuilder roles = new StringBuilder();
        for (String r : DevSignInController.ROLES) {
            roles.append("<option value=\"").append(r).append('"').append(r.equals(role) ? " selected" : "")
                    .append('>').append(r).append("</option>");
        }
        String errorBlock = error == null ? ""
                : "<p class=\"notice notice-error\" role=\"alert\" id=\"sign-in-error\">" + HtmlUtils.htmlEscape(error) + "</p>";
        String describedBy = error == null ? "account-hint" : "account-hint sign-in-error";
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Dev sign-in · Imagina Credits</title>
                <link rel="stylesheet" href="/css/app.css">
                </head>
                <body>
                <header class="site-header"><div class="bar"><a class="brand" href="/">Imagina <span>Credits</span></a></div></header>
                <main id="main" class="page narrow">
                <h1>Dev sign-in</h1>
                <p class="lede">Development only: sign in as any account with any role. The token lasts 12 hours
                and stays in this browser tab.</p>
                %s
                <form class="card form" method="post" action="/dev/sign-in">
                  <div class="field">
                    <label for="accountId">Account id</label>
                    <input id="accountId" name="accountId" required maxlength="200" autocomplete="off"
                      spellcheck="false" placeholder="e.g. u-alice" value="%s" aria-describedby="%s"%s>
                    <p class="hint" id="account-hint">A new id makes a new account with 0 credits and today's free turns.</p>
                  </div>
                  <div class="field">
                    <label for="role">Role</label>
                    <select id="role" name="role">%s</select>
                  </div>
                  <button class="button primary" type="submit">Sign in</button>
                </form>
                </main>
                </body>
                </html>
                """.formatted(errorBlock, HtmlUtils.htmlEscape(accountId), describedBy,
                        error == null ? "" : " aria-invalid=\"true\" autofocus", roles);
    }
}
