/* Exits with the status given as argv[1] (default 42): checks argv and exit status plumbing. */
#include <stdlib.h>

int main(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 42;
}
