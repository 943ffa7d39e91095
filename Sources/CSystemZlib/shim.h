#include <zlib.h>

#if defined(__linux__)
#include <unistd.h>
/* glibc declares syncfs only under _GNU_SOURCE; the archive uses it to make a batch of
   objects durable with one call. */
int syncfs(int fd);
#endif
