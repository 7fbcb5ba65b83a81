// Where HDF5 looks for a virtual dataset's source files (virtual_source_files.h), checked with
// stat: the same places, in H5F_prefix_open_file's order (HDF5 1.14.5, H5Fint.c).
#include "hdf5/virtual_source_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <set>

#include "platform/platform.h"

namespace h5dat {
namespace {

bool IsFile(const std::string& path) {
  struct stat info;
  return !path.empty() && stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// H5F__build_name: the prefix, a '/' unless it ends in one, the name.
std::string Joined(const std::string& prefix, const std::string& name) {
  if (prefix.empty() || prefix.back() == '/') return prefix + name;
  return prefix + "/" + name;
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// H5_build_extpath: the master's directory, made absolute from the working directory it was
// opened in.
std::string ExtPathOf(const std::string& masterPath, const std::string& openedIn) {
  std::string directory = DirectoryOf(masterPath);
  if (!masterPath.empty() && masterPath[0] == '/') return directory;
  if (!openedIn.empty()) return Joined(openedIn, directory);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return directory;
  return Joined(cwd, directory);
}

// A stored source name as a file name: HDF5 stores a literal '%' as "%%" (virtual_dataset.cc).
std::string Unescaped(const std::string& stored) {
  std::string name;
  for (size_t i = 0; i < stored.size(); i++) {
    name += stored[i];
    if (stored[i] == '%' && i + 1 < stored.size() && stored[i + 1] == '%') i++;
  }
  return name;
}

// Where HDF5 tries `name`, in its order.
std::vector<std::string> PlacesOf(const std::string& name, const std::string& masterPath, const std::string& openedIn) {
  std::vector<std::string> places;
  std::string relative = name;
  if (!name.empty() && name[0] == '/') {
    places.push_back(name);
    relative = name.substr(name.rfind('/') + 1);
  }
  const std::string extpath = ExtPathOf(masterPath, openedIn);
  if (const char* prefixes = std::getenv("HDF5_VDS_PREFIX")) {
    std::string list = prefixes;
    // The whole variable is also the dataset's prefix, "${ORIGIN}" standing for the master's directory.
    std::string origin = list.rfind("${ORIGIN}", 0) == 0 ? extpath + list.substr(9) : list;
    for (size_t start = 0; start <= list.size();) {
      size_t colon = list.find(':', start);
      std::string prefix = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!prefix.empty()) places.push_back(Joined(prefix, relative));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    if (!origin.empty() && origin != ".") places.push_back(Joined(origin, relative));
  }
  places.push_back(Joined(extpath, relative));
  places.push_back(relative);
  const std::string master = masterPath.empty() || masterPath[0] == '/' || openedIn.empty() ? masterPath : Joined(openedIn, masterPath);
  const std::string resolved = platform::RealPath(master);
  if (!resolved.empty()) places.push_back(Joined(DirectoryOf(resolved), relative));
  return places;
}

}  // namespace

std::vector<std::string> MissingSourceFiles(const std::vector<std::string>& names, const std::string& masterPath,
                                            const std::string& openedIn) {
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const std::string& stored : names) {
    const std::string name = Unescaped(stored);
    if (name == "." || !seen.insert(name).second) continue;
    bool found = false;
    for (const std::string& place : PlacesOf(name, masterPath, openedIn)) {
      if ((found = IsFile(place))) break;
    }
    if (!found) missing.push_back(name);
  }
  return missing;
}

}  // namespace h5dat
