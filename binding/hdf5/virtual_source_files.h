#pragma once
// A virtual dataset whose source file is missing reads as fill values, silently (HDF5 opens
// sources only on a read, and a source it cannot open is a hole): a merged master whose shard
// files did not come along would read as zeros. Reads check first that each source file is
// where HDF5 will look for it.
#include <string>
#include <vector>

namespace h5dat {

// The source file names (given as the mappings store them, '%' as "%%"; "." is the master itself) that none of the
// places HDF5 1.14 looks holds (H5F_prefix_open_file): an absolute name as is, then by its last
// component; HDF5_VDS_PREFIX's directories; the master's directory; the working directory; the
// directory of the master's resolved path. Each missing name once, in order.
// `openedIn`: the working directory when the master was opened ("" for the current one).
std::vector<std::string> MissingSourceFiles(const std::vector<std::string>& names, const std::string& masterPath,
                                            const std::string& openedIn);

}  // namespace h5dat
