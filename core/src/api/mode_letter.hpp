// The flags an fopen-style mode's first letter gives ('r', 'w', 'a'), shared
// by OpenMode's parser (api/open_mode.cpp) and memfs::fopen's
// (stream/stdio.cpp), which differ only in what follows the letter.
#pragma once

#include "memfs/file.hpp"

namespace memfs::detail {

/// OpenMode flags for `letter`, or 0 when it starts no fopen mode.
inline unsigned mode_letter_flags(char letter) noexcept {
  switch (letter) {
    case 'r':
      return OpenMode::read;
    case 'w':
      return OpenMode::write | OpenMode::create | OpenMode::truncate;
    case 'a':
      return OpenMode::write | OpenMode::create | OpenMode::append;
    default:
      return 0;
  }
}

}  // namespace memfs::detail
