/* Dereferences a bad pointer: the process must die of SIGSEGV (status 139 in a shell). */
#include <stdio.h>

int main(void) {
    volatile int *p = (int *)16;
    printf("about to fault\n");
    fflush(stdout);
    return *p;
}
