#include "cli/commands.hpp"

int main(int argc, char** argv) { return essc::cli::run(argc, argv); }
