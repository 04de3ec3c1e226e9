// Every bound of the platform in one place (STYLE.md rule 6): a named constant with
// its unit last and the reason for its value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace essc::limits {

// HTTP ----------------------------------------------------------------------------
// Large enough for a base64 face image (≈1.5 MB for a 1 MB JPEG), small enough that a
// few hundred concurrent uploads stay within memory.
inline constexpr std::size_t kRequestBodyBytesMax = std::size_t{2} * 1024 * 1024;
// Headers of a legitimate client are a few hundred bytes; 16 KiB absorbs proxies.
inline constexpr std::size_t kRequestHeaderBytesMax = std::size_t{16} * 1024;
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
// R-S4: signed requests a client may make per window (a minute); beyond it, 429
// RATE_LIMITED until the window turns. Each client has its own quota, this one unless
// an administrator sets another: 100 a second on average is far above a community
// pharmacy's or a channel backend's legitimate rate per instance, and bounds what a
// leaked secret can do.
inline constexpr std::int64_t kClientRequestsPerMinuteDefault = 6000;
// The largest quota an administrator may set: a provincial app or a bank at 5,000
// requests a second, beyond what one server answers, so no quota means "unlimited".
inline constexpr std::int64_t kClientRequestsPerMinuteMax = 300'000;
inline constexpr std::int64_t kClientRateWindowMs = 60'000;
// On PostgreSQL, every server deletes expired nonces and past rate windows this often:
// the tables hold at most a window and a half of requests.
inline constexpr std::int64_t kNoncePurgeIntervalMs = 30'000;
// The nonce journal (store/nonce_journal.hpp) is synced to disk this often: the most a
// crash of the machine can lose, and so what the next start must refuse beyond the
// window. One fdatasync a second costs nothing next to one per request.
inline constexpr std::int64_t kNonceJournalSyncMs = 1000;
// A journal file is written this long, then a new one begins; files are removed once
// their nonces have expired, so the folder holds a few files of at most this much.
inline constexpr std::int64_t kNonceJournalRotateMs = 600'000;
// Operator tokens last a working day (issue: 8 h).
inline constexpr std::int64_t kOperatorSessionSeconds = std::int64_t{8} * 3600;
// OWASP ASVS 2.2.1: ten failed logins in a row lock a username for 15 minutes, right
// password or not. Ten absorbs a clerk's typos; 15 minutes makes guessing a 10-character
// password hopeless (under 1,000 guesses a day) without locking a clerk out for the shift.
inline constexpr std::int64_t kOperatorLoginFailuresMax = 10;
inline constexpr std::int64_t kOperatorLoginLockMs = std::int64_t{15} * 60 * 1000;
// Operator usernames and passwords: enough for real names, bounded for hashing cost.
inline constexpr std::size_t kUsernameBytesMax = 64;
inline constexpr std::size_t kOperatorPasswordBytesMin = 10;
inline constexpr std::size_t kOperatorPasswordBytesMax = 128;
// Free text (client names, memos, URLs): bounded so rows stay small.
inline constexpr std::size_t kTextBytesMax = 200;
inline constexpr std::size_t kUrlBytesMax = 2048;
// Ids in requests (client ids, order ids, idempotency keys): the platform's own are
// under 40 characters; 64 leaves clients room and keeps every key row small.
inline constexpr std::size_t kIdCharsMax = 64;
// Session tokens (operators' and e-cards') are 32 random bytes, 43 characters; a
// presented token longer than this cannot be one and is refused before it is hashed.
inline constexpr std::size_t kSessionTokenCharsMax = 128;
// Record ids the platform makes (settlements, contributions, benefits): this many hex
// characters of a random value, 96 bits, so that ids never collide in practice.
inline constexpr std::size_t kRecordIdHexChars = 24;

// Verification and passwords (R-S3, R-W4) ------------------------------------------
// A verification session lives 15 minutes and is used once.
inline constexpr std::int64_t kVerificationTtlMs = std::int64_t{15} * 60 * 1000;
// Face tries per verification; afterwards the applicant starts again or uses SMS.
inline constexpr std::int64_t kFaceAttemptsMax = 5;
// Wrong four-factor checks per verification: each wrong try probes a bank record.
inline constexpr std::int64_t kFourFactorAttemptsMax = 5;
// Wrong four-factor checks per person per China Standard Time day, across verifications
// and channels: a cardholder mistypes once or twice; ten leaves room for that and bounds
// how far one person's bank record can be probed by opening verification after
// verification (five tries each) with account and phone guesses.
inline constexpr std::int64_t kFourFactorChecksPerPersonPerDayMax = 10;
// New e-card passwords compared with the card PINs (R-W2) per person per day: each
// comparison answers "is this a card PIN?", so without a bound anyone who passed one
// face check could search the financial PIN during the verification's 15 minutes. A
// cardholder sets a password a few times a day at most; ten leaves room for typos.
inline constexpr std::int64_t kCardPinChecksPerPersonPerDayMax = 10;
// Contribution debits a person's bank may refuse for want of funds in a day (R-U5): each
// refusal says whether the balance covers an amount the caller chose, so the answers are
// few, as a payment code buys one from a settlement. A payment awaiting the bank holds one
// until it is paid, so a burst cannot ask more questions than this at once.
inline constexpr std::int64_t kBankFundsRefusalsPerPersonPerDayMax = 3;
// SMS codes: valid 5 minutes, 5 tries each, a new one after 60 s, 10 a phone a day.
inline constexpr std::int64_t kOtpTtlMs = std::int64_t{5} * 60 * 1000;
inline constexpr std::int64_t kOtpAttemptsMax = 5;
inline constexpr std::int64_t kOtpResendAfterSeconds = 60;
inline constexpr std::int64_t kOtpPerPhonePerDayMax = 10;
// Five wrong e-card passwords in a row lock it for a day or until a reset.
inline constexpr std::int64_t kPasswordFailuresMax = 5;
inline constexpr std::int64_t kPasswordLockMs = 24LL * 3600 * 1000;
// Face images: a few hundred KB in practice; 1 MiB decoded bounds the work per try.
inline constexpr std::size_t kFaceImageBytesMax = std::size_t{1024} * 1024;

// Using the e-card (R-U1, R-U2) ----------------------------------------------------
// An opened e-card lets QR codes refresh for 10 minutes without the password again.
inline constexpr std::int64_t kEcardSessionMs = std::int64_t{10} * 60 * 1000;
// A QR code is valid 60 s; the app asks for the next one 10 s before, so the code on
// screen is never one that expires while the cashier scans it.
inline constexpr std::int64_t kQrTtlSeconds = 60;
inline constexpr std::int64_t kQrRefreshAfterSeconds = 50;
// Servers look at their key file this often: a key rotation reaches every server of the
// folder within 5 s (R-S9), this period and one read of the file.
inline constexpr std::int64_t kKeyFileWatchMs = 1'000;
// After a checkpoint signed by a key a server does not hold yet, it signs none of its own
// for this long: a few watches, then it signs anyway (services/audit_sequencer.cpp).
inline constexpr std::int64_t kAuditCheckpointKeyWaitMs = 5 * kKeyFileWatchMs;
// Re-sealing after a PII key rotation (R-S9, services/pii_resealer.hpp) begins this long
// after the rotation, when every server reads the new key file (two watch periods and a
// margin), and then re-seals a batch of rows every period: at most 10,000 rows a second
// per server, each batch one short write transaction beside the platform's own.
inline constexpr std::int64_t kPiiResealGraceMs = 10'000;
inline constexpr int kPiiResealBatchRows = 500;
inline constexpr std::int64_t kPiiResealPeriodMs = 50;
// Servers look at their policy folder this often: an edited policy file is in force on
// every server of the folder within a few seconds, without a restart (R-K1).
inline constexpr std::int64_t kPolicyFolderWatchMs = 1'000;
// How long a retired QR signing key stays in GET /v1/keys (its `not_after`): servers may
// sign with it for up to 5 s after the rotation (R-S9), a code lives kQrTtlSeconds, and an
// institution verifying offline may run a minute behind.
inline constexpr std::int64_t kQrKeyRetiredPublishedMs = 5'000 + kQrTtlSeconds * 1000 + 60'000;
// A used code's row outlives its expiry by this long before it is purged: a server
// whose clock runs this much behind still finds the use and refuses a replay (every
// server refuses the code as expired by its own clock before looking).
inline constexpr std::int64_t kQrUsedTokenKeptAfterExpiryMs = std::int64_t{10} * 60 * 1000;

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

// Insurance history (R-R1) -------------------------------------------------------------
// Items one POST /v1/persons/{id}/insurance-records may carry: fifty years of the five
// insurances is 3,000 months, so a feed sends a person's history in a few requests and
// one request stays a short write job.
inline constexpr std::size_t kInsuranceRecordsPerRequestMax = 600;
// A monthly contribution base above a million yuan is a unit mistake (fen for yuan).
inline constexpr std::int64_t kInsuranceBaseFenMax = 100'000'000;

// Certificates (参保证明, R-R3) ------------------------------------------------------
// How long a certificate is valid: an employer or an office checks it within weeks of
// receiving it; half a year covers a slow visa file, and a stale one is issued again.
inline constexpr std::int64_t kCertificateValidityMs = std::int64_t{180} * 86'400'000;
// Months one certificate may cover: a working life of fifty years.
inline constexpr std::int64_t kCertificateMonthsMax = 600;
// Characters of a verify code, each one of 32 (Crockford's base32): 16 of them are 80
// bits, beyond guessing at the check rate below (R-R3 asks for at least 60).
inline constexpr std::size_t kCertificateCodeChars = 16;
// Checks GET /v1/certificates/{code} answers per source address in the client rate
// window (kClientRateWindowMs): a person checking by hand never reaches it, a scan of
// codes is slowed to nothing.
inline constexpr std::int64_t kCertificateChecksPerWindow = 30;

// Statistics (GET /v1/stats) --------------------------------------------------------
// Days one statistics request may span: a quarter is what a dashboard draws; the
// queries scan the days' rows.
inline constexpr std::int64_t kStatsDaysMax = 92;

// Outbox delivery (R-L6) ------------------------------------------------------------
// Retries back off exponentially from 1 s, capped at 10 minutes; after 12 tries (about
// an hour in all) the event is left marked for operators instead of retried forever.
inline constexpr std::int64_t kOutboxFirstRetryMs = 1000;
inline constexpr std::int64_t kOutboxRetryCapMs = std::int64_t{10} * 60 * 1000;
inline constexpr std::int64_t kOutboxAttemptsMax = 12;
// Events taken per poll, and how often the worker looks when idle.
inline constexpr std::int64_t kOutboxBatchMax = 64;
inline constexpr std::int64_t kOutboxPollMs = 200;
// Lanes (channels) one server delivers to at once: a channel whose endpoint hangs holds
// one lane for its timeout and delays no other channel.
inline constexpr std::int64_t kOutboxLanesMax = 8;
// Refusals of unauthenticated callers are audited as one entry per source, reason and
// this stretch of time, with the count (services/refusal_log.hpp): a flood grows the
// log by at most one entry a minute per known client and reason.
inline constexpr std::int64_t kRefusalAuditMinuteMs = 60'000;
// How often the refusal log looks for a minute that is over, so a minute's count is
// written soon after it ends even when no further refusal comes.
inline constexpr std::int64_t kRefusalFlushPollMs = 1000;
// A channel's endpoint gets this long to answer a webhook.
inline constexpr std::int64_t kWebhookTimeoutMs = 5000;
// A server holds the events it took for delivery this long (a batch's webhooks in turn,
// each within its timeout, even when all are one channel's lane); one that dies
// meanwhile lets another take them after it.
inline constexpr std::int64_t kOutboxLeaseMs = kOutboxBatchMax * kWebhookTimeoutMs;

// External services (adapters/http_client) ------------------------------------------
// Answers of the face service, SMS gateway, banks and webhook endpoints are small JSON
// documents; 1 MiB is far above any of them and bounds what a broken or hostile peer
// can make us buffer.
inline constexpr std::size_t kExternalReplyBodyBytesMax = std::size_t{1024} * 1024;
// The longest deadline a call may ask for: a configured timeout beyond this is a
// mistake, and clamping it keeps the deadline arithmetic far from overflow.
inline constexpr std::int64_t kExternalCallTimeoutMsMax = std::int64_t{10} * 60 * 1000;

// Audit (R-S6) ------------------------------------------------------------------------
// The sequencer integrates pending entries and signs a checkpoint of the grown tree this
// often: the merge delay a write's answer waits at most for its checkpoint, plus one
// integration (API.md: "at most 1 s").
inline constexpr std::int64_t kAuditSequencerIntervalMs = 200;
// Entries one integration sequences at most, so one transaction stays short; a backlog
// takes several ticks.
inline constexpr std::int64_t kAuditSequencerBatchMax = 20'000;
// Witnesses (R-S7): each is sent the newest checkpoint this often, each call bounded by
// this timeout and retried this many times after a 409 told it the size it holds.
inline constexpr std::int64_t kAuditWitnessPushIntervalMs = 1'000;
inline constexpr std::int64_t kAuditWitnessTimeoutMs = 3'000;
inline constexpr int kAuditWitnessAttemptsMax = 3;

// Storage -----------------------------------------------------------------------------
// How long a connection waits for SQLite's file lock before failing (only migrations
// and external tools contend: the platform has one writer).
inline constexpr std::int64_t kDatabaseBusyTimeoutMs = 5'000;
// `essc backup` copies a live SQLite store in one step; the step is refused only while a
// connection holds the file exclusively (a WAL reset, a migration): milliseconds, so a
// minute of attempts means something else is wrong.
inline constexpr int kOnlineBackupAttemptsMax = 600;
inline constexpr std::int64_t kOnlineBackupRetryMs = 100;
// The stack of each fiber a handler call runs on (http/server/worker_pool.hpp): mapped,
// not committed, so only the pages a call touches cost memory. A thread's default is
// 8 MiB; an eighth of it holds every handler, the 参保证明 PDF's layout by Pango and
// Cairo among them, under the sanitizers too (their tests run on these fibers).
inline constexpr std::size_t kFiberStackBytes = std::size_t{1} << 20;
// Stacks kept mapped for the next calls once their fibers end; beyond this they are
// unmapped, so a burst's stacks do not stay resident after it.
inline constexpr std::size_t kFiberStacksIdleMax = 256;
// A fiber waiting for a PostgreSQL answer blocks its thread this long before it suspends
// (common/wait.hpp wait_readable): most answers come within it, and a blocked wait costs
// one poll(2) where a suspension costs the event loop's registration of the socket; an
// answer slower than this (a row lock held, a commit waiting for its standby) no longer
// stops the worker's other fibers.
inline constexpr int kReadableBlockingWaitMs = 1;
// Write jobs committed together in one transaction (group commit): large enough to
// amortise the fsync, small enough to bound the latency of the first job in a batch.
inline constexpr std::size_t kWriteBatchJobsMax = 256;
// Write jobs waiting for the writer; beyond this callers get UNAVAILABLE at once
// instead of queueing without bound.
inline constexpr std::size_t kWriteQueueJobsMax = 20'000;
// PostgreSQL: a transaction that meets a serialization failure or a deadlock, or loses
// its connection before COMMIT, runs again up to this many times in all, each after a
// random pause of up to 2^attempt ms (capped), so that a burst of conflicting writers
// spreads out instead of colliding again; then UNAVAILABLE with retry_after. Eight
// covers a failover's few seconds of refused connections together with the pauses.
inline constexpr int kStoreRetriesMax = 8;
inline constexpr std::int64_t kStoreRetryBackoffMaxMs = 1'000;
// Connections a process opens to PostgreSQL unless `[store] pool_size` says otherwise;
// a request waits this long for one before UNAVAILABLE.
inline constexpr std::size_t kStorePoolSizeDefault = 16;
inline constexpr std::int64_t kStorePoolWaitMs = 5'000;
// GET /readyz on PostgreSQL asks the pool whether a writable primary answers. A balancer
// checks every second or so: an answer is kept this long so that checks from several
// balancers cost the store one query a second at most...
inline constexpr std::int64_t kReadyProbeCacheMs = 1'000;
// ...and a probe that cannot get a connection or an answer this fast counts as not
// ready: a primary that slow is no place to send traffic, and the check must not hang.
inline constexpr std::int64_t kReadyProbeTimeoutMs = 500;
// A bank-paid settlement whose commit was lost with its server reads back whether it
// committed, every half second, before it answers UNAVAILABLE and leaves the debit to
// the owed reversal. Bounded so that the institution hears back within its own timeout
// (10 s is usual for a till) even when the failover takes longer (about 10 s measured,
// docs/performance.md): its retry with the same order id is then answered by the
// settlement, or settles afresh while the first debit is paid back.
inline constexpr std::int64_t kUnknownOutcomeResolveMs = 6'000;
inline constexpr std::int64_t kUnknownOutcomePollMs = 500;
// How often a server completes owed bank transfers that no server is still settling
// (services/bank_transfers.hpp owed_transfer_grace_ms).
inline constexpr std::int64_t kDueBankTransferSweepMs = 10'000;

// How often a server reads the store's backlogs for /metrics (services/backlogs.hpp): a
// few cheap counts, fresh enough for alerts that wait minutes before firing.
inline constexpr std::int64_t kBacklogRefreshIntervalMs = 5'000;

}  // namespace essc::limits
