// The roxi binary.
#include "src/cli/cli.h"

int main(int argc, char** argv) { return roxi::cli::Main(argc, argv); }
