// libFuzzer's entry for programs that have their own main (compiler-rt, FuzzerInterface.h):
// parses libFuzzer's options from argc/argv and runs the fuzzing loop on `callback`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
