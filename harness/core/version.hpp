#pragma once
namespace facteur {
const char* version();  // "0.1.0"
}
