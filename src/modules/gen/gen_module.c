/*
 * gen_module.c - what the generator module brings: `minsheng gen`. It has
 * no tables of its own (it fills the registry's) and no routes.
 */
#include "core/banned.h"
#include "modules/gen/gen.h"
#include "modules/gen/gen_int.h"

const struct ms_module gen_module = {
    .name = "gen",
    .commands = gen_cli_commands,
};
