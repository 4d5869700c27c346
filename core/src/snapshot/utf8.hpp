// Internal: json.cpp's old name for shared/utf8_sequence.hpp (json.cpp is
// being rewritten on another branch; drop this file once it includes the
// shared header directly).
#pragma once

#include "shared/utf8_sequence.hpp"
