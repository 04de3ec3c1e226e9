// One-time initialisation of libsodium for the whole process.
//
// libsodium must be initialised before it is used from several threads: sodium_init
// picks the fastest implementations (Argon2, ChaCha20) for this CPU and seeds the
// random generator. Every entry point of this layer that needs it calls
// initialize_sodium() itself, so callers never have to remember.
//
// Thread safety: initialize_sodium() may be called from any thread, any number of
// times; the first call does the work (std::call_once), later calls return at once.
// Invariant: once initialize_sodium() has returned, libsodium is ready.
#pragma once

namespace essc::crypto {

// Throws std::runtime_error if libsodium cannot be initialised (a start-up failure,
// STYLE.md rule 3: the process must not run without its crypto).
void initialize_sodium();

}  // namespace essc::crypto
