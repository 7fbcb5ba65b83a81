// The shard of an archive entry, computed as src/convert/shard.ts does (see shard_filter.h).
#include "archive/shard_filter.h"

#include "archive/sha256.h"

namespace h5dat {

std::string SourcePathOf(const std::string& name) {
  // /^(?:\.\/+)+/: each "." followed by one or more '/' at the start.
  size_t start = 0;
  while (start + 1 < name.size() && name[start] == '.' && name[start + 1] == '/') {
    start += 2;
    while (start < name.size() && name[start] == '/') start++;
  }
  return name.substr(start);
}

bool IsStrictUtf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t length;
    uint32_t min, code;
    if ((c & 0xE0) == 0xC0) length = 2, min = 0x80, code = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) length = 3, min = 0x800, code = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) length = 4, min = 0x10000, code = c & 0x07;
    else return false;
    if (i + length > n) return false;
    for (size_t k = 1; k < length; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

uint64_t ShardOf(const std::string& group, const std::string& sourcePath, uint64_t count) {
  Sha256 hash;
  hash.Update(group.data(), group.size());
  hash.Update("\n", 1);
  hash.Update(sourcePath.data(), sourcePath.size());
  const std::array<uint8_t, 32> digest = hash.Finish();
  uint64_t head = 0;
  for (int i = 0; i < 8; i++) head = (head << 8) | digest[i];
  return head % count;
}

bool ShardFilter::OtherShardOwns(const std::string& name) const {
  if (count == 0 || !IsStrictUtf8(name)) return false;
  return ShardOf(group, SourcePathOf(name), count) != index;
}

}  // namespace h5dat
