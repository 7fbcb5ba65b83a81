#pragma once
// SHA-256 (FIPS 180-4), self-contained: the shard filter hashes every entry name of an archive
// inside the addon, which links nothing beyond glibc and libstdc++ (no OpenSSL).
#include <array>
#include <cstddef>
#include <cstdint>

namespace h5dat {

class Sha256 {
 public:
  Sha256();
  void Update(const void* bytes, size_t length);
  // The digest; the hasher is spent after it.
  std::array<uint8_t, 32> Finish();

 private:
  void Compress(const uint8_t* block);

  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

}  // namespace h5dat
