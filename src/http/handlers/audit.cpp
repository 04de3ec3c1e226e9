// The audit log (R-S6): its public checkpoint, key, proofs and tiles (hashes only), its
// entries and verification for administrators; and GET /v1/outbox/given-up (R-L6).

#include <map>
#include <string>

#include "common/clock.hpp"
#include "crypto/encoding.hpp"
#include "crypto/merkle.hpp"
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/query.hpp"
#include "services/backlogs.hpp"
#include "services/clients.hpp"
#include "store/audit_log.hpp"

namespace essc::http {
namespace {

boost::json::array base64_hashes(const std::vector<std::string>& hashes) {
  boost::json::array out;
  for (const auto& h : hashes) out.emplace_back(crypto::to_base64(h));
  return out;
}

// c2sp.org/tlog-tiles: the tile index as path elements "x001/x234/067", the last one
// perhaps "067.p" followed by the width of a partial tile.
struct TilePath {
  std::uint64_t index = 0;
  int width = 256;
};

std::optional<TilePath> parse_tile_path(const std::vector<std::string>& parts) {
  TilePath tile;
  std::size_t digits_parts = parts.size();
  if (parts.size() >= 2 && parts[parts.size() - 2].ends_with(".p")) {
    const auto width = parse_int(parts.back());
    if (!width || *width < 1 || *width > 255 || parts.back() != std::to_string(*width))
      return std::nullopt;
    tile.width = static_cast<int>(*width);
    digits_parts = parts.size() - 1;
  }
  for (std::size_t i = 0; i < digits_parts; ++i) {
    std::string_view part = parts[i];
    const bool last = i + 1 == digits_parts;
    if (last && tile.width != 256) part.remove_suffix(2);
    if (!last) {
      if (!part.starts_with('x')) return std::nullopt;
      part.remove_prefix(1);
    }
    if (part.size() != 3 || part.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    tile.index = tile.index * 1000 + static_cast<std::uint64_t>(std::stoi(std::string(part)));
  }
  return tile;
}

void add_tile_route(Router& router, services::AuditService& audit) {
  router.add("GET", "/v1/audit/tile/{level}/{index...}", Access::kPublic, {},
             [&](Call& call) -> Result<Response> {
               std::vector<std::string> elements;
               std::string_view rest = call.param("index");
               for (auto slash = rest.find('/'); slash != std::string_view::npos;
                    slash = rest.find('/')) {
                 elements.emplace_back(rest.substr(0, slash));
                 rest.remove_prefix(slash + 1);
               }
               elements.emplace_back(rest);
               const auto level = parse_int(call.param("level"));
               const auto tile = parse_tile_path(elements);
               if (!level || !tile || call.param("level").size() != 1)
                 return Error{ErrorCode::kNotFound, "no such tile"};
               ESSC_ASSIGN_OR_RETURN(
                   auto bytes, audit.tile(static_cast<int>(*level), tile->index, tile->width));
               Response r;
               r.content_type = "application/octet-stream";
               // A full tile never changes; a partial one grows into a longer one.
               if (tile->width == 256)
                 r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
               r.body = std::move(bytes);
               return r;
             });
}

void add_public_log_routes(Router& router, services::AuditService& audit) {
  router.add("GET", "/v1/audit/checkpoint", Access::kPublic, {}, [&](Call&) -> Result<Response> {
    auto note = audit.checkpoint();
    if (!note) return Error{ErrorCode::kNotFound, "the log has no checkpoint yet"};
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(*note);
    return r;
  });
  router.add(
      "GET", "/v1/audit/key", Access::kPublic, {},
      [&](Call&) -> Result<Response> {
        const auto key = audit.key();
        // Every key of the log (R-S9): the current one, then those a rotation retired, which
        // still verify the checkpoints they signed.
        boost::json::array keys{boost::json::object{{"vkey", key.vkey()}, {"retired_at", nullptr}}};
        for (auto it = key.retired.rbegin(); it != key.retired.rend(); ++it) {
          keys.push_back(boost::json::object{{"vkey", key.retired_vkey(*it)},
                                             {"retired_at", format_rfc3339(it->retired_at_ms)}});
        }
        return json_response(200, boost::json::object{{"origin", key.origin},
                                                      {"key_name", key.origin},
                                                      {"vkey", key.vkey()},
                                                      {"keys", std::move(keys)}});
      },
      Work::kMemory);
  router.add("GET", "/v1/audit/proof", Access::kPublic, {}, [&](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(const auto index, count_parameter(call, "index"));
    ESSC_ASSIGN_OR_RETURN(const auto size, count_parameter(call, "size"));
    ESSC_ASSIGN_OR_RETURN(const auto proof, audit.inclusion(index, size));
    return json_response(200, boost::json::object{{"index", proof.index},
                                                  {"size", proof.size},
                                                  {"inclusion", base64_hashes(proof.hashes)}});
  });
  router.add(
      "GET", "/v1/audit/consistency", Access::kPublic, {}, [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(const auto from, count_parameter(call, "from"));
        ESSC_ASSIGN_OR_RETURN(const auto to, count_parameter(call, "to"));
        ESSC_ASSIGN_OR_RETURN(const auto proof, audit.consistency(from, to));
        return json_response(
            200,
            boost::json::object{{"from", from}, {"to", to}, {"consistency", base64_hashes(proof)}});
      });
  add_tile_route(router, audit);
}

}  // namespace

void add_audit_routes(Router& router, services::AuditService& audit,
                      const services::ClientService& clients, const services::Backlogs& backlogs) {
  add_public_log_routes(router, audit);
  router.add("GET", "/v1/audit/entries/{index}", Access::kOperator, kAdminOrAuditor,
             [&](Call& call) -> Result<Response> {
               const auto index = parse_int(call.param("index"));
               const auto e = index ? audit.entry(*index) : std::nullopt;
               if (!e) return Error{ErrorCode::kNotFound, "no such entry"};
               const auto bytes = store::audit_entry_bytes(*e);
               return json_response(
                   200, boost::json::object{
                            {"seq", e->seq},
                            {"at", format_rfc3339(e->at_ms)},
                            {"actor", e->actor},
                            {"action", e->action},
                            {"target", e->target},
                            {"outcome", e->outcome},
                            {"entry_base64", crypto::to_base64(bytes)},
                            {"leaf_hash", crypto::to_base64(crypto::merkle_leaf_hash(bytes))}});
             });
  router.add(
      "GET", "/v1/audit", Access::kOperator, kAdminOrAuditor, [&](Call& call) -> Result<Response> {
        services::AuditQuery query;
        ESSC_ASSIGN_OR_RETURN(query.limit, page_limit(call));
        ESSC_ASSIGN_OR_RETURN(const auto cursor, cursor_number(call));
        if (call.query_value("cursor")) query.after_seq = cursor;
        ESSC_ASSIGN_OR_RETURN(auto from, time_parameter(call, "from"));
        ESSC_ASSIGN_OR_RETURN(auto to, time_parameter(call, "to"));
        if (from) query.from_ms = *from;
        if (to) query.to_ms = *to;
        const auto page = audit.list(query);
        std::vector<std::string_view> actors;
        for (const auto& e : page.items) actors.emplace_back(e.actor);
        const auto names = clients.names_of_actors(actors);
        boost::json::array items;
        for (const auto& e : page.items) {
          boost::json::object item{
              {"seq", e.seq},
              {"at", format_rfc3339(e.at_ms)},
              {"actor", e.actor},
              {"action", e.action},
              {"target", e.target},
              {"outcome", e.outcome},
              {"hash", crypto::to_hex(crypto::merkle_leaf_hash(store::audit_entry_bytes(e)))}};
          if (const auto it = names.find(e.actor); it != names.end())
            item["actor_name"] = it->second;
          items.push_back(std::move(item));
        }
        boost::json::object body{{"items", std::move(items)}};
        body["next_cursor"] = page.next_after_seq
                                  ? boost::json::value(std::to_string(*page.next_after_seq))
                                  : boost::json::value(nullptr);
        return json_response(200, body);
      });

  // R-L6: deliveries that exhausted their retries stay visible here; SMS destinations
  // are personal data and are not shown.
  router.add("GET", "/v1/outbox/given-up", Access::kOperator, {domain::OperatorRole::kAdmin},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(const auto limit, page_limit(call));
               const auto events = backlogs.given_up(limit);
               boost::json::array items;
               for (const auto& e : events) {
                 boost::json::object item{{"event_id", e.event_id},
                                          {"kind", e.kind},
                                          {"attempts", e.attempts},
                                          {"last_error", e.last_error},
                                          {"created_at", format_rfc3339(e.created_at_ms)}};
                 if (e.client_id) item["client_id"] = *e.client_id;
                 items.push_back(std::move(item));
               }
               return json_response(
                   200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
             });

  router.add("GET", "/v1/audit/verify", Access::kOperator, kAdminOrAuditor,
             [&](Call&) -> Result<Response> {
               const auto v = audit.verify();
               boost::json::object body{
                   {"entries", v.entries}, {"ok", v.ok()}, {"checkpoints", v.checkpoints}};
               if (v.first_bad_seq) body["first_bad_seq"] = *v.first_bad_seq;
               if (v.problem) body["problem"] = *v.problem;
               return json_response(200, body);
             });
}

}  // namespace essc::http
