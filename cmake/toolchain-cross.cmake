# What every cross toolchain file shares, included after it sets H5DAT_CROSS_TRIPLE (and its
# compilers): the triple's binutils, and searching only the target's root and h5dat's own
# dependency prefix, never the host's /usr/lib.
set(CMAKE_AR ${H5DAT_CROSS_TRIPLE}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${H5DAT_CROSS_TRIPLE}-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP ${H5DAT_CROSS_TRIPLE}-strip CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH /usr/${H5DAT_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# cmake/build-deps.sh exports its prefix: the dependencies built before are found there too.
if(DEFINED ENV{H5DAT_DEPS_PREFIX})
  list(APPEND CMAKE_FIND_ROOT_PATH $ENV{H5DAT_DEPS_PREFIX})
endif()
