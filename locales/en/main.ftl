app-name = Gospubliki
language-name = English
skip-to-content = Skip to content
footer-text = Registry and monitoring of the official pages of government bodies and their institutions
nav-region = Region sections
nav-overview = Overview
nav-orgs = Organizations
nav-pages = Pages
nav-municipalities = Municipalities
nav-sectors = Sectors
nav-people = People
scope-switch = My workspaces
scope-operator = Platform operator: regions
sign-in = Sign in
sign-out = Sign out
yes = yes
no = no
edit = Edit
save = Save
saved = Changes saved.
actions = Actions
invite = Invite
search-label = Search
search-button = Search
nothing-found = Nothing found.
pager-label = List pages
pager-prev = ← Previous
pager-next = Next →
pager-page = Page
pager-total = total
form-has-errors = Please correct the highlighted fields.

count-organizations = { $count ->
    [one] { $count } organization
   *[other] { $count } organizations
}
count-pages = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}

role-admin = admin
role-coordinator = coordinator
role-editor = editor

level-regional_body = Regional government body
level-local_government = Local self-government body
level-state_institution = State institution
level-municipal_institution = Municipal institution
level-other = Other organization

municipality-kind-city_okrug = City okrug
municipality-kind-municipal_okrug = Municipal okrug
municipality-kind-municipal_district = Municipal district
municipality-kind-urban_settlement = Urban settlement
municipality-kind-rural_settlement = Rural settlement

platform-vk = VK
platform-ok = Odnoklassniki
platform-telegram = Telegram
platform-max = MAX
platform-other = Other site

field-name = Name
field-short-name = Short name
field-inn = INN
field-ogrn = OGRN
field-level = Level
field-founder = Founder
field-founder-ogrn = Founder's OGRN
field-municipality = Municipality
field-sector = Sector
field-sectors = Sectors
field-sectors-up-to-three = Sectors (up to three)
field-exempt = Exempt from keeping an official page
field-exemption-basis = Basis of the exemption
field-archived = Archived (left out of coverage)
field-kind = Kind
field-oktmo = OKTMO
field-position = Position in the list
field-platform = Platform
field-url = Page address
field-title = Page title
field-organization = Organization
field-email = Email
field-password = Password
field-new-password = New password
field-password-confirm = Repeat the password
field-person = Full name
field-role = Role
field-slug = Code in addresses
field-time-zone = Time zone

field-required = Please fill in this field.
field-too-long = The value is too long.
field-choose = Please choose a value from the list.
field-number = Please enter a whole number.
email-invalid = Please enter an email address, for example ivanova@mail.ru.
inn-format = An organization's INN has 10 digits.
inn-check-digit = The INN check digit does not match: please look for a typo.
ogrn-format = An OGRN has 13 digits.
ogrn-check-digit = The OGRN check digit does not match: please look for a typo.
ogrn-taken = An organization with this OGRN already exists: { $org }.
ogrn-taken-plain = An organization with this OGRN already exists in the region.
oktmo-format = An OKTMO code has 8 or 11 digits.
oktmo-taken = A municipality with this OKTMO code already exists.
municipality-name-taken = A municipality with this name already exists.
sector-name-taken = A sector with this name already exists.
sector-repeated = This sector is already chosen.
parent-unknown = The region has no organization with this OGRN.
parent-self = An organization cannot be its own founder.
parent-cycle = That organization is subordinate to this one: this would make a loop.
exemption-basis-required = Please give the basis of the exemption.
organization-unknown = The region has no organization with this OGRN.

page-url-empty = Please enter the page address.
page-url-invalid = This does not look like a page address.
page-url-wrong-platform = This address is on { $platform }: choose that platform or correct the address.
page-url-not-a-page = This is a section of the site, not a community page.
page-url-private = This is an invitation link to a private channel that residents cannot open. Please give the public address.
page-url-taken = This page is already registered to { $org }.
page-url-taken-elsewhere = This page is already registered to an organization of another region.
page-url-hint = Any form of address works: vk.com/club123, https://m.vk.com/name, ok.ru/group/123, t.me/name, @name, max.ru/name.

login-title = Sign in
login-failed = Wrong email or password.

home-title = My workspaces
home-choose-scope = Choose what to work on:
home-no-scopes = You do not have access to any region yet. Please contact your region's admin.

overview-title = Overview
overview-organizations = Organizations
overview-with-pages = With an official page
overview-exempt = Exempt
overview-pages = Pages
overview-own-orgs = My organizations
overview-admin-actions = Administration

orgs-title = Organizations
orgs-search-hint = Name, INN or OGRN
orgs-pages-count = Pages
orgs-no-pages = no pages
org-new = Add organization
org-edit = Edit organization
org-created = Organization added.
org-saved = Changes saved.
org-archived = archived
org-pages = Official pages
org-subordinates = Subordinate organizations
municipality-none = regional level

pages-title = Official pages
pages-search-hint = Organization or page address
page-new = Add page
page-edit = Edit page
page-created = Page added.

municipality-new = Add municipality
municipality-edit = Edit municipality
sector-new = Add sector
sector-edit = Edit sector

regions-title = Regions
region-new = Create region
region-created = Region created. Invite its first admin.
region-slug-hint = Latin letters, digits and hyphens, for example altai-krai.
region-slug-format = 3 to 40 characters: lowercase Latin letters, digits and hyphens.
region-slug-taken = Another region already uses this code.
region-time-zone-unknown = Unknown time zone. Example: Asia/Barnaul.
region-invite-admin = Invite the region's admin

people-invite = Invite a user
people-members = Members
people-scope = Scope
people-whole-region = whole region
people-municipality-scope = Municipality (for a municipal coordinator)
people-organization-ogrn = Organization's OGRN (for an editor or a founder's coordinator)
people-scope-hint = For an editor give their organization. For a coordinator a municipality, a founder, or nothing (whole region).
user-disabled = disabled
invite-editor-needs-org = Please give the OGRN of the editor's organization.
invite-editor-no-municipality = An editor works with an organization; no municipality is needed.
invite-coordinator-one-scope = Give either a municipality or a founder organization.
invite-admin-whole-region = An admin works with the whole region: remove the municipality and organization.
invitations-title = Invitations
invitation-created = Invitation created. Send the link to the invitee: { $link }
invitation-created-at = Created
invitation-status = Status
invitation-pending-status = pending
invitation-accepted-status = accepted
invitation-expired-status = expired
invitation-title = Invitation
invitation-intro = You are invited to { $region } as
invitation-existing-user = You already have an account: enter its password to accept the invitation.
invitation-password-wrong = Wrong password.
invitation-accept = Accept invitation
invitation-accepted = Invitation accepted.
invitation-invalid = This link is not valid: the invitation was already accepted, has expired or does not exist. Ask your admin for a new one.
password-too-short = { $count ->
    [one] The password must have at least { $count } character.
   *[other] The password must have at least { $count } characters.
}
password-mismatch = The passwords do not match.

error-not-found-title = Page not found
error-not-found = This page does not exist or you have no access to it.
error-forbidden-title = Not allowed
error-forbidden = This action needs another role. If the form was open for a long time, reload the page and try again.
error-login-required-title = Sign-in required
error-login-required = Please sign in to continue.
error-bad-request-title = Bad request
error-bad-request = The request could not be understood. Go back and try again.
error-conflict-title = Conflicting change
error-conflict = The data changed while you were working. Please reload the page.
error-internal-title = Internal error
error-internal = Something went wrong on our side. We have been notified; please give the request id to support.
error-too-large-title = Request too large
error-too-large = The data sent exceeds the allowed size.
error-timeout-title = Request timed out
error-timeout = The request took too long. Please try again.
error-unavailable-title = Service temporarily unavailable
error-unavailable = The database does not answer. Please try again in a minute.
error-request-id = Request id:
error-go-home = Home
login-throttled = { $count ->
    [one] Too many failed sign-in attempts. Try again in { $count } minute.
   *[other] Too many failed sign-in attempts. Try again in { $count } minutes.
}
field-current-password = Current password
password-change-title = Change password
password-change-hint = Changing the password ends every other session of this account.
password-current-wrong = The current password is wrong.
password-changed = Password changed. Other sessions have ended.
password-reset-title = New password
password-reset-issued = The password reset link works once, for 24 hours. Give it to the user: { $link }
password-reset-invalid = This link is not valid: it was already used or has expired. Ask your admin for a new one.
people-reset-password = Issue a password reset link
nav-password = Change password
error-method-title = Action not available
error-method = This address does not accept this action.
nav-imports = Registry import
import-title = Organization registry import
import-intro = Upload an XLSX or CSV table (as Excel saves it: UTF-8 or Windows-1251, separated by ";" or ","). The whole file is checked first: you see every problem with its row number, and changes are made only when there are none — all at once.
import-template = Download the table template (XLSX)
import-file = File
import-file-hint = XLSX or CSV, up to { $mib } MB. The first row holds the column headers.
import-check = Check the file
import-choose-file = Choose a file to upload.
import-file-too-large = The file is larger than { $mib } MB.
import-file-empty = The file is empty or has no header row.
import-file-not-a-table = This is not an XLSX or CSV table.
import-file-bomb = The file unpacks to an unacceptable size and was refused.
import-file-broken = The file is damaged and could not be read.
import-history = Earlier imports
import-back = ← All imports
import-rows = Rows
import-created = To create
import-updated = To update
import-unchanged = Unchanged
import-problems = Problems
import-row = Row
import-column = Column
import-message = What is wrong
import-ready = No problems. Check the figures above and apply the changes.
import-commit = Apply the changes
import-committed = Changes applied.
import-already-committed = This import has already been applied.
import-refused-on-commit = { $count ->
    [one] The registry changed while the file waited: { $count } problem found. Nothing was changed.
   *[other] The registry changed while the file waited: { $count } problems found. Nothing was changed.
}
import-problems-nothing-changed = While the file has problems nothing changes. Correct them and upload the file again.
import-preview-only = No problems. Run the command again with --commit to apply the changes.
import-via-cli = command line
import-status-previewed = checked
import-status-committed = applied
import-status-refused = refused
import-columns-missing = Required columns are missing: { $columns }.
import-duplicate-ogrn = This OGRN already appears in row { $row }.
import-level-unknown = Unknown level "{ $value }". Known: ministry, local government (ОМСУ), state institution, municipal institution, subordinate institution, other.
import-founder-unknown = Founder "{ $value }" is neither in the file nor in the registry.
import-founder-ambiguous = Several founders are named "{ $value }": give the OGRN.
import-municipality-unknown = Municipality "{ $value }" not found: use its name from the list or its OKTMO.
import-sector-unknown = Sector "{ $value }" is not in the region's list.
import-sectors-too-many = More than three sectors.
nav-audit = Log
audit-title = Change log
audit-caption = Log entries
audit-person = Who
audit-object = Object
audit-action = Action
audit-from = From
audit-to = To
audit-when = When
audit-details = Details
audit-any = any
audit-system = system
audit-bad-dates = Dates are written YYYY-MM-DD; a filter with a wrong date was not applied.
audit-action-create = created
audit-action-update = changed
audit-action-sign_in = signed in
audit-action-accept = accepted invitation
audit-action-commit = registry import
audit-action-view = viewed
audit-action-change_password = changed password
audit-action-issue_password_reset = issued password reset link
audit-action-reset_password = reset password
audit-action-import_create = created by import
audit-action-import_update = changed by import
audit-object-organization = organization
audit-object-page = page
audit-object-municipality = municipality
audit-object-sector = sector
audit-object-region = region
audit-object-invitation = invitation
audit-object-user = user
audit-object-import = import
audit-object-federal_overview = federal overview
