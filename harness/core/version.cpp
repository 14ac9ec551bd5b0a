#include "harness/core/version.hpp"
namespace facteur {
const char* version() { return "0.1.0"; }
}
