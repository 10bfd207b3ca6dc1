/* The smallest useful guest: print a line and exit 0. */
#include <stdio.h>

int main(void) {
    printf("hello from riscv64\n");
    return 0;
}
