// Every bound of the platform in one place (STYLE.md rule 6): a named constant with
// its unit last and the reason for its value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace essc::limits {

// HTTP ----------------------------------------------------------------------------
// Large enough for a base64 face image (≈1.5 MB for a 1 MB JPEG), small enough that a
// few hundred concurrent uploads stay within memory.
inline constexpr std::size_t kRequestBodyBytesMax = 2 * 1024 * 1024;
// Headers of a legitimate client are a few hundred bytes; 16 KiB absorbs proxies.
inline constexpr std::size_t kRequestHeaderBytesMax = 16 * 1024;
// A slow client may hold a connection this long while sending one request.
inline constexpr std::int64_t kRequestReadTimeoutMs = 30'000;
// A keep-alive connection with no request in flight is closed after this.
inline constexpr std::int64_t kIdleTimeoutMs = 60'000;
// In-flight requests get this long to finish after SIGTERM before the process exits.
inline constexpr std::int64_t kShutdownGraceMs = 10'000;
// A client that stops reading its response holds a connection and the response
// buffer; it gets as long as a slow sender gets to send a request.
inline constexpr std::int64_t kResponseWriteTimeoutMs = 30'000;
// After a 400/413 the server closes the connection, but first reads and discards what
// the client is still sending, for at most this long and this many bytes: closing with
// unread input makes the kernel send a reset, which can destroy the answer before the
// client reads it. A client sending up to 4× the body limit still sees its 413; beyond
// that we stop paying for its bandwidth.
inline constexpr std::int64_t kLingerCloseMs = 2'000;
inline constexpr std::size_t kLingerDiscardBytesMax = 4 * kRequestBodyBytesMax;
// Open connections at once; beyond this a new connection is closed unanswered, so a
// flood of idle connections cannot exhaust descriptors or memory. Channels and
// institutions reuse keep-alive pools of a few dozen connections each, so 4096 leaves
// ample room; an idle connection costs a descriptor and a few KiB.
inline constexpr std::size_t kConnectionsMax = 4'096;
// When accept() fails (descriptors exhausted), wait this long before retrying rather
// than spinning an I/O thread on an error that will not clear within microseconds.
inline constexpr std::int64_t kAcceptRetryDelayMs = 100;
// Boost.JSON parse depth: our documents nest 3 deep; anything deeper is an attack.
inline constexpr std::size_t kJsonDepthMax = 16;
// Lists (API.md): default and largest page.
inline constexpr std::int64_t kPageSizeDefault = 50;
inline constexpr std::int64_t kPageSizeMax = 500;

// Authentication ----------------------------------------------------------------------
// API.md: a signed request's timestamp may be this far from the server's clock.
inline constexpr std::int64_t kSignatureWindowSeconds = 300;
// R-S4: signed requests a client may make per window; beyond it, 429 RATE_LIMITED
// until the window turns. 100 a second on average is far above a channel backend's
// legitimate rate per instance, and bounds what a leaked secret can do.
inline constexpr std::int64_t kClientRequestsPerWindowMax = 6000;
inline constexpr std::int64_t kClientRateWindowMs = 60'000;
// Operator tokens last a working day (issue: 8 h).
inline constexpr std::int64_t kOperatorSessionSeconds = 8 * 3600;
// OWASP ASVS 2.2.1: ten failed logins in a row lock a username for 15 minutes, right
// password or not. Ten absorbs a clerk's typos; 15 minutes makes guessing a 10-character
// password hopeless (under 1,000 guesses a day) without locking a clerk out for the shift.
inline constexpr std::int64_t kOperatorLoginFailuresMax = 10;
inline constexpr std::int64_t kOperatorLoginLockMs = 15 * 60 * 1000;
// Operator usernames and passwords: enough for real names, bounded for hashing cost.
inline constexpr std::size_t kUsernameBytesMax = 64;
inline constexpr std::size_t kOperatorPasswordBytesMin = 10;
inline constexpr std::size_t kOperatorPasswordBytesMax = 128;
// Free text (client names, memos, URLs): bounded so rows stay small.
inline constexpr std::size_t kTextBytesMax = 200;
inline constexpr std::size_t kUrlBytesMax = 2048;

// Verification and passwords (R-S3, R-W4) ------------------------------------------
// A verification session lives 15 minutes and is used once.
inline constexpr std::int64_t kVerificationTtlMs = 15 * 60 * 1000;
// Face tries per verification; afterwards the applicant starts again or uses SMS.
inline constexpr std::int64_t kFaceAttemptsMax = 5;
// Wrong four-factor checks per verification: each wrong try probes a bank record.
inline constexpr std::int64_t kFourFactorAttemptsMax = 5;
// Wrong four-factor checks per person per China Standard Time day, across verifications
// and channels: a cardholder mistypes once or twice; ten leaves room for that and bounds
// how far one person's bank record can be probed by opening verification after
// verification (five tries each) with account and phone guesses.
inline constexpr std::int64_t kFourFactorChecksPerPersonPerDayMax = 10;
// SMS codes: valid 5 minutes, 5 tries each, a new one after 60 s, 10 a phone a day.
inline constexpr std::int64_t kOtpTtlMs = 5 * 60 * 1000;
inline constexpr std::int64_t kOtpAttemptsMax = 5;
inline constexpr std::int64_t kOtpResendAfterSeconds = 60;
inline constexpr std::int64_t kOtpPerPhonePerDayMax = 10;
// Five wrong e-card passwords in a row lock it for a day or until a reset.
inline constexpr std::int64_t kPasswordFailuresMax = 5;
inline constexpr std::int64_t kPasswordLockMs = 24LL * 3600 * 1000;
// Face images: a few hundred KB in practice; 1 MiB decoded bounds the work per try.
inline constexpr std::size_t kFaceImageBytesMax = 1024 * 1024;

// Using the e-card (R-U1, R-U2) ----------------------------------------------------
// An opened e-card lets QR codes refresh for 10 minutes without the password again.
inline constexpr std::int64_t kEcardSessionMs = 10 * 60 * 1000;
// A QR code is valid 60 s; the app asks for the next one 10 s before, so the code on
// screen is never one that expires while the cashier scans it.
inline constexpr std::int64_t kQrTtlSeconds = 60;
inline constexpr std::int64_t kQrRefreshAfterSeconds = 50;

// Settlement bills (R-U4, POLICY.md) ----------------------------------------------
// An institution's bill is its own claim on the pooled fund, so every figure in it is
// bounded; beyond a bound the bill is refused (INVALID_AMOUNT), never capped. The bounds
// sit far above a real outpatient or pharmacy bill and far below what would drain a
// year's fund cap with one fabricated line, and keep every sum and product of
// split_bill() below 2^63.
// Lines on one bill: a long prescription has a few dozen.
inline constexpr std::size_t kBillItemsMax = 200;
// Units of one line: a quarter's supply of tablets counted singly.
inline constexpr std::int64_t kItemQuantityMax = 1'000;
// One unit's price: 100,000 yuan covers the dearest outpatient specialty drugs.
inline constexpr std::int64_t kItemUnitPriceFenMax = 10'000'000;
// The whole bill: 200,000 yuan, twice the dearest single unit, far above a real visit.
inline constexpr std::int64_t kBillTotalFenMax = 20'000'000;

// Regions (R-X2, R-X3) --------------------------------------------------------------
// A cross-region filing covers at most a year (the national filings run 6 to 12
// months); a longer one would outlive the reason it was made for.
inline constexpr std::int64_t kRegionFilingDaysMax = 366;
// Filings one person may hold at once: a few places of care, not a list of provinces.
inline constexpr std::size_t kRegionFilingsPerPersonMax = 10;

// Family accounts (R-F1, R-F2) ------------------------------------------------------
// Members a holder may add, and holders one member may have (API.md "Family accounts").
inline constexpr std::size_t kFamilyMembersPerHolderMax = 5;
inline constexpr std::size_t kFamilyHoldersPerMemberMax = 2;
// From this age (whole years, China Standard Time) a member consents for themselves.
inline constexpr int kFamilyConsentAge = 16;

// Statistics (GET /v1/stats) --------------------------------------------------------
// Days one statistics request may span: a quarter is what a dashboard draws; the
// queries scan the days' rows.
inline constexpr std::int64_t kStatsDaysMax = 92;

// Outbox delivery (R-L6) ------------------------------------------------------------
// Retries back off exponentially from 1 s, capped at 10 minutes; after 12 tries (about
// an hour in all) the event is left marked for operators instead of retried forever.
inline constexpr std::int64_t kOutboxFirstRetryMs = 1000;
inline constexpr std::int64_t kOutboxRetryCapMs = 10 * 60 * 1000;
inline constexpr std::int64_t kOutboxAttemptsMax = 12;
// Events taken per poll, and how often the worker looks when idle.
inline constexpr std::int64_t kOutboxBatchMax = 64;
inline constexpr std::int64_t kOutboxPollMs = 200;
// A channel's endpoint gets this long to answer a webhook.
inline constexpr std::int64_t kWebhookTimeoutMs = 5000;

// External services (adapters/http_client) ------------------------------------------
// Answers of the face service, SMS gateway, banks and webhook endpoints are small JSON
// documents; 1 MiB is far above any of them and bounds what a broken or hostile peer
// can make us buffer.
inline constexpr std::size_t kExternalReplyBodyBytesMax = 1024 * 1024;
// The longest deadline a call may ask for: a configured timeout beyond this is a
// mistake, and clamping it keeps the deadline arithmetic far from overflow.
inline constexpr std::int64_t kExternalCallTimeoutMsMax = 10 * 60 * 1000;

// Audit (R-S6) ------------------------------------------------------------------------
// The server signs the audit chain's head this often (and when it stops): removing the
// newest entries goes unnoticed for at most this long.
inline constexpr std::int64_t kAuditCheckpointIntervalMs = 60'000;

// Storage -----------------------------------------------------------------------------
// How long a connection waits for SQLite's file lock before failing (only migrations
// and external tools contend: the platform has one writer).
inline constexpr std::int64_t kDatabaseBusyTimeoutMs = 5'000;
// Write jobs committed together in one transaction (group commit): large enough to
// amortise the fsync, small enough to bound the latency of the first job in a batch.
inline constexpr std::size_t kWriteBatchJobsMax = 256;
// Write jobs waiting for the writer; beyond this callers get UNAVAILABLE at once
// instead of queueing without bound.
inline constexpr std::size_t kWriteQueueJobsMax = 20'000;

}  // namespace essc::limits
