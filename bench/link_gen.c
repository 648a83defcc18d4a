/*
 * link_gen.c - synthetic person files for bench/linkage.sh: LEFT.csv with
 * N people, RIGHT.csv with N rows of which a share are the same people with
 * one kind of noise each (homophone surname, day/month swap, one-digit
 * birth slip, another phone, another given-name character, ID number
 * missing), and TRUTH.csv listing the true pairs.
 *
 *   bench_link_gen N SEED DIR
 *
 * Everyone is made up: surnames from a list of common ones, given names
 * from common characters, ID numbers built with ms_idcard_check_char().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/banned.h"

/* Surnames, each with a homophone (same toneless pinyin). */
static const char *const surnames[][2] = {
    {"张", "章"}, {"王", "汪"}, {"李", "黎"}, {"刘", "柳"}, {"杨", "阳"}, {"赵", "照"},
    {"黄", "皇"}, {"周", "州"}, {"吴", "武"}, {"徐", "许"}, {"胡", "户"}, {"朱", "诸"},
    {"林", "临"}, {"何", "河"}, {"郭", "国"}, {"马", "码"}, {"罗", "洛"}, {"高", "郜"},
    {"陈", "晨"}, {"孙", "荪"}, {"谢", "泄"}, {"邓", "瞪"}, {"冯", "逢"}, {"曹", "槽"},
};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉",
    "成", "兰", "云", "飞", "鹏", "琴", "斌", "宇", "浩", "凯", "梅", "莉", "峰", "波", "鑫",
    "林", "健", "亮", "婷", "雪", "颖", "倩", "欣", "佳", "志", "春", "海", "国", "荣", "新",
};
#define N_SUR   (sizeof(surnames) / sizeof(surnames[0]))
#define N_GIVEN (sizeof(given) / sizeof(given[0]))

static unsigned long long rng;

static unsigned pick(unsigned n)
{
    unsigned long long z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (unsigned)((z ^ (z >> 31)) % n);
}

struct person {
    unsigned char sur, g1, g2; /* g2 == N_GIVEN: one-character given name */
    short y;
    char m, d, sex;
    unsigned phone;
    char id[MS_IDCARD_BUF];
};

static void make(struct person *p)
{
    p->sur = (unsigned char)pick(N_SUR);
    p->g1 = (unsigned char)pick(N_GIVEN);
    p->g2 = (unsigned char)(pick(3) ? pick(N_GIVEN) : N_GIVEN);
    p->y = (short)(1935 + pick(70));
    p->m = (char)(1 + pick(12));
    p->d = (char)(1 + pick(28));
    p->sex = pick(2) ? 'M' : 'F';
    p->phone = pick(100000000);
    char body[18];
    snprintf(body, sizeof(body), "5001%02u%04d%02d%02d%03u", 1 + pick(40), p->y, p->m, p->d,
             (pick(500) * 2 + (p->sex == 'M')) % 1000);
    memcpy(p->id, body, 17);
    p->id[17] = ms_idcard_check_char(body);
    p->id[18] = '\0';
}

static void name(const struct person *p, int homophone, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", surnames[p->sur][homophone], given[p->g1],
             p->g2 < N_GIVEN ? given[p->g2] : "");
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_link_gen N SEED DIR\n");
        return 2;
    }
    long n = atol(argv[1]);
    rng = strtoull(argv[2], NULL, 10);
    char path[3][512];
    snprintf(path[0], sizeof(path[0]), "%s/left.csv", argv[3]);
    snprintf(path[1], sizeof(path[1]), "%s/right.csv", argv[3]);
    snprintf(path[2], sizeof(path[2]), "%s/truth.csv", argv[3]);
    FILE *l = fopen(path[0], "w"), *r = fopen(path[1], "w"), *t = fopen(path[2], "w");
    struct person *ppl = malloc((size_t)n * sizeof(*ppl));
    if (n <= 0 || !l || !r || !t || !ppl) {
        fprintf(stderr, "bench_link_gen: bad N or cannot write to %s\n", argv[3]);
        return 1;
    }
    fputs("id,name,birth_date,sex,phone,id_number\n", l);
    fputs("ref,full_name,dob,gender,mobile,idno\n", r);
    fputs("left_id,right_id\n", t);
    char nm[64];
    for (long i = 0; i < n; i++) {
        make(&ppl[i]);
        name(&ppl[i], 0, nm, sizeof(nm));
        fprintf(l, "L%ld,%s,%04d-%02d-%02d,%s,139%08u,%s\n", i, nm, ppl[i].y, ppl[i].m,
                ppl[i].d, ppl[i].sex == 'M' ? "男" : "女", ppl[i].phone, ppl[i].id);
    }
    /* Right: 60% are left people in shuffled order, 40% new people. */
    for (long k = 0; k < n; k++) {
        struct person p;
        int is_true = pick(10) < 6;
        long i = is_true ? (long)pick((unsigned)n) : -1;
        if (is_true)
            p = ppl[i];
        else
            make(&p);
        int homophone = 0, noise = is_true ? (int)pick(10) : 0;
        int y = p.y, m = p.m, d = p.d;
        unsigned phone = p.phone;
        switch (noise) {
        case 4:
            homophone = 1;
            break;
        case 5:
            if (d <= 12 && d != m)
                m = p.d, d = p.m;
            break;
        case 6:
            y += y % 10 == 9 ? -1 : 1;
            break;
        case 7:
            phone = pick(100000000);
            break;
        case 8:
            p.g1 = (unsigned char)((p.g1 + 1) % N_GIVEN);
            break;
        }
        name(&p, homophone, nm, sizeof(nm));
        fprintf(r, "R%ld,%s,%02d/%02d/%04d,%c,%s139%08u,%s\n", k, nm, d, m, y, p.sex,
                pick(4) ? "" : "+86 ", phone, pick(2) ? p.id : "");
        if (is_true)
            fprintf(t, "L%ld,R%ld\n", i, k);
    }
    free(ppl);
    return fclose(l) | fclose(r) | fclose(t) ? 1 : 0;
}
