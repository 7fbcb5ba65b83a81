// Raw data that lies past the end of the source file, refused before H5Ocopy reads it. HDF5
// 1.14.5's chunk copy fails on such a chunk ("Address overflowed") and then frees memory twice
// on its way out (seen with corrupt chunk B-trees: "double free or corruption"), so a corrupt
// file would take the process down instead of failing its entry.
#include "copy/tree_copy.h"
#include "core/h5_failure.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

using DatasetId = ScopedId<H5Dclose>;

struct Bounds {
  hsize_t fileSize;
  haddr_t badAddress = HADDR_UNDEF;
  hsize_t badSize = 0;
};

int CheckChunk(const hsize_t*, unsigned, haddr_t address, hsize_t size, void* data) {
  auto* bounds = static_cast<Bounds*>(data);
  if (address == HADDR_UNDEF || address > bounds->fileSize || size > bounds->fileSize - address) {
    bounds->badAddress = address;
    bounds->badSize = size;
    return 1;  // stop: one is enough to refuse the file
  }
  return 0;
}

[[noreturn]] void FailPastEnd(const Bounds& bounds, const std::string& what, const std::string& where) {
  FailUsage("corrupt file: " + what + " at byte " + std::to_string(bounds.badAddress) + " (" + std::to_string(bounds.badSize) +
                " bytes) lies past the end of the file (" + std::to_string(bounds.fileSize) + " bytes)",
            where);
}

}  // namespace

void CheckStorageInFile(const CopiedTree& tree) {
  Bounds bounds{};
  Check(H5Fget_filesize(tree.source, &bounds.fileSize), "cannot get file size", tree.prefix);
  for (const SourceObject& object : tree.objects) {
    if (object.type != H5O_TYPE_DATASET) continue;
    std::string where = "/" + object.path;
    DatasetId dataset(Check(H5Dopen2(tree.source, object.path.c_str(), H5P_DEFAULT), "cannot open dataset", where));
    PlistId dcpl(Check(H5Dget_create_plist(dataset.get()), "cannot get creation properties", where));
    H5D_layout_t layout = H5Pget_layout(dcpl.get());
    if (layout == H5D_CHUNKED) {
      Check(H5Dchunk_iter(dataset.get(), H5P_DEFAULT, CheckChunk, &bounds), "cannot read chunk index", where);
      if (bounds.badAddress != HADDR_UNDEF || bounds.badSize != 0) FailPastEnd(bounds, "a chunk", where);
    } else if (layout == H5D_CONTIGUOUS) {
      haddr_t address = H5Dget_offset(dataset.get());
      H5Eclear2(H5E_DEFAULT);  // no offset: not allocated (or external), nothing to check
      if (address == HADDR_UNDEF) continue;
      if (CheckChunk(nullptr, 0, address, H5Dget_storage_size(dataset.get()), &bounds)) FailPastEnd(bounds, "the data", where);
    }
  }
}

}  // namespace h5dat
