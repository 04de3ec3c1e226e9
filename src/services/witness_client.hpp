// The platform's side of c2sp.org/tlog-witness: one add-checkpoint call to a witness.
//
// Thread safety: push_to_witness may run on any thread; it blocks for the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/audit_sequencer.hpp"

namespace essc::services {

// POST <url>/add-checkpoint with `old <old_size>`, the proof and the checkpoint note.
// kCosigned only with a cosignature line that verifies with the witness's vkey;
// kConflict with the size a 409 names; kFailed otherwise, with why.
WitnessReply push_to_witness(const Witness& witness, std::string_view note, std::uint64_t old_size,
                             const std::vector<std::string>& proof);

}  // namespace essc::services
