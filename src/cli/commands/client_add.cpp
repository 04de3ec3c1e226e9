// essc client add: a channel or institution; prints its secrets once.
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"

namespace essc::cli {

Verb add_client_add_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    services::NewClient client;
  };
  auto options = std::make_shared<Options>();
  auto& new_client = options->client;
  auto* client_cmd =
      cli.add_subcommand("client", "Manage channels and institutions")->require_subcommand(1);
  auto* client_add = client_cmd->add_subcommand(
      "add", "Register a channel or institution; prints its secrets once");
  add_data_dir_option(*client_add, options->data_dir);
  client_add->add_option("--kind", new_client.kind, "channel | institution")
      ->required()
      ->check(CLI::IsMember({"channel", "institution"}));
  client_add->add_option("--name", new_client.name, "Display name")->required();
  client_add->add_option("--channel-type", new_client.channel_type, "gov | bank | third_party");
  client_add->add_option("--institution-type", new_client.institution_type,
                         "pharmacy | hospital | service_hall");
  client_add->add_option("--region-code", new_client.region_code, "6-digit region code");
  client_add->add_option("--webhook-url", new_client.webhook_url,
                         "Where lifecycle events are sent (channels)");
  client_add->add_option("--requests-per-minute", new_client.requests_per_minute,
                         "Signed requests allowed a minute (default 6000)");
  client_add->add_option(
      "--qr-png", new_client.qr_png,
      "Channels: whether QR codes come with their PNG unless a request says (default true)");
  return {client_add, [options] {
            App app(DataDir{options->data_dir}, false);
            const auto client = value_or_fail(
                app.platform().clients.add(services::Actor::command_line(), options->client));
            std::cout << "client_id=" << client.client_id << "\nclient_secret=" << client.secret
                      << "\n";
            if (client.webhook_secret)
              std::cout << "webhook_secret=" << *client.webhook_secret << "\n";
            std::cout << "requests_per_minute=" << client.requests_per_minute << "\n"
                      << "qr_png=" << (client.qr_png ? "true" : "false") << "\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
