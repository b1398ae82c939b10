# Golden values for supplied replicate weights, replicate Rao-Scott tests and multistage designs,
# produced by R `survey` (T. Lumley) on data sets shipped with it.
#
# Regenerate from the repository root with:
#     Rscript tests/weighting/golden/make_golden_designs.R
#
# Data (exported to CSV beside this script, so the Python tests need no R):
#   api_clus1_reps.csv  survey's `apiclus1` (California Academic Performance Index, a cluster sample
#                       of 15 school districts; Lumley, survey package data `api`) with its JK1
#                       replicate weights repw_1..repw_15 and 50 bootstrap weights boot_1..boot_50
#                       (analysis weights: sampling weight times replicate factor, as vendors deliver them)
#   api_clus2.csv       survey's `apiclus2`: two-stage sample, districts (dnum) then schools (snum), with
#                       the population sizes of each stage fpc1 (districts) and fpc2 (schools in the district)
#   mu284.csv           survey's `mu284`: two-stage sample from the MU284 population of Swedish
#                       municipalities (Sarndal, Swensson and Wretman 1992), id1/id2 with stage sizes n1/n2
#   api_lonely.csv      survey's `apistrat` with one stratum cut to a single school (lonely PSU)
# Population margins come from survey's `apipop` (all 6,194 California schools).
#
# Tested with R 4.2.2 and survey 4.1.1 (Debian packages r-base-core, r-cran-survey).

suppressMessages(library(survey))
options(digits = 17, warn = 1, survey.replicates.mse = FALSE)

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script)) dirname(normalizePath(script)) else "tests/weighting/golden"
targs <- commandArgs(trailingOnly = TRUE)
if (length(targs) >= 1) {
  out_dir <- targs[1]
  dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
}
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20231206)

# ----------------------------------------------------------------------------- JSON (17 digits)
jnum <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
jstr <- function(s) paste0("\"", gsub("\"", "\\\\\"", s), "\"")
tojson <- function(x, ind = "") {
  nxt <- paste0(ind, "  ")
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- vapply(names(x), function(k) paste0(nxt, jstr(k), ": ", tojson(x[[k]], nxt)), "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", ind, "}"))
    }
    items <- vapply(x, function(v) paste0(nxt, tojson(v, nxt)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", ind, "]"))
  }
  vals <- if (is.character(x)) jstr(x) else if (is.logical(x)) tolower(as.character(x)) else jnum(as.numeric(x))
  if (length(x) == 1 && is.null(attr(x, "array"))) return(vals)
  paste0("[", paste(vals, collapse = ", "), "]")
}
arr <- function(x) structure(x, array = TRUE)

# Rows shaped like `estimate` output: numeric -> "mean" (or "total"), factor -> one row per category.
rows_of <- function(stat, design, vars, fun = svymean) {
  out <- list()
  for (v in vars) {
    est <- fun(as.formula(paste0("~", v)), design, na.rm = TRUE)
    cf <- coef(est)
    se <- SE(est)
    cats <- if (is.factor(design$variables[[v]])) sub(paste0("^", v), "", names(cf)) else stat
    for (i in seq_along(cf)) {
      out[[length(out) + 1]] <- list(variable = v, category = cats[i], estimate = unname(cf[i]), se = unname(se[i]))
    }
  }
  out
}

chisq_of <- function(design, formula) {
  f <- svychisq(formula, design, statistic = "F")
  c2 <- svychisq(formula, design, statistic = "Chisq")
  list(
    F = list(statistic = unname(f$statistic), ndf = unname(f$parameter[1]), ddf = unname(f$parameter[2]),
             p_value = unname(f$p.value)),
    Chisq = list(statistic = unname(c2$statistic), df = unname(c2$parameter), p_value = unname(c2$p.value))
  )
}

data(api)
data(mu284)
golden <- list()

# ----------------------------------------------------------------------------- supplied replicate weights
clus1 <- apiclus1[, c("cds", "dnum", "stype", "sch.wide", "awards", "api00", "api99", "enroll", "pw")]
clus1$stype <- as.character(clus1$stype)
clus1$sch.wide <- as.character(clus1$sch.wide)
clus1$awards <- as.character(clus1$awards)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = clus1)
jk <- as.svrepdesign(dclus1, type = "JK1", compress = FALSE)
bs <- as.svrepdesign(dclus1, type = "bootstrap", replicates = 50, compress = FALSE)
jkw <- as.matrix(unclass(weights(jk, "analysis")))
bsw <- as.matrix(unclass(weights(bs, "analysis")))
colnames(jkw) <- paste0("repw_", seq_len(ncol(jkw)))
colnames(bsw) <- paste0("boot_", seq_len(ncol(bsw)))
reps_csv <- cbind(clus1, round(jkw, 10), round(bsw, 10))
write.csv(reps_csv, file.path(out_dir, "api_clus1_reps.csv"), row.names = FALSE)
reps <- read.csv(file.path(out_dir, "api_clus1_reps.csv"), stringsAsFactors = TRUE)

pop_stype <- table(apipop$stype)
pop_schwide <- table(apipop$sch.wide)
VARS <- c("api00", "enroll", "stype", "awards")

sup <- function(type, pattern, mse = FALSE, ...) {
  svrepdesign(data = reps, repweights = pattern, weights = ~pw, type = type, combined.weights = TRUE,
              mse = mse, ...)
}
d_jk <- sup("JK1", "repw_[0-9]+")
d_jk_mse <- sup("JK1", "repw_[0-9]+", mse = TRUE)
d_other <- sup("other", "repw_[0-9]+", scale = 0.5, rscales = seq(0.5, 1.9, by = 0.1))
d_boot <- sup("bootstrap", "boot_[0-9]+")
raked <- rake(d_jk, list(~stype, ~sch.wide),
              list(data.frame(stype = names(pop_stype), Freq = as.vector(pop_stype)),
                   data.frame(sch.wide = names(pop_schwide), Freq = as.vector(pop_schwide))),
              control = list(maxit = 1000, epsilon = 1e-13, verbose = FALSE))
pop_lin <- c(`(Intercept)` = nrow(apipop), stypeH = pop_stype[["H"]], stypeM = pop_stype[["M"]],
             sch.wideYes = pop_schwide[["Yes"]])
linear <- calibrate(d_jk, ~stype + sch.wide, population = pop_lin, epsilon = 1e-13, maxit = 500, compress = FALSE)

golden$supplied <- list(
  population = list(stype = as.list(setNames(as.vector(pop_stype), names(pop_stype))),
                    sch.wide = as.list(setNames(as.vector(pop_schwide), names(pop_schwide)))),
  jk1 = list(type = "JK1", pattern = "repw_", scale = d_jk$scale, estimates = rows_of("mean", d_jk, VARS),
             totals = rows_of("total", d_jk, c("enroll"), svytotal)),
  jk1_mse = list(type = "JK1", pattern = "repw_", mse = TRUE, estimates = rows_of("mean", d_jk_mse, VARS)),
  other = list(type = "other", pattern = "repw_", scale = 0.5, rscales = arr(seq(0.5, 1.9, by = 0.1)),
               estimates = rows_of("mean", d_other, VARS)),
  bootstrap = list(type = "bootstrap", pattern = "boot_", scale = d_boot$scale,
                   estimates = rows_of("mean", d_boot, VARS)),
  jk1_raked = list(type = "JK1", pattern = "repw_", method = "rake", weights = arr(weights(raked, "sampling")),
                   estimates = rows_of("mean", raked, c("api00", "enroll", "awards"))),
  jk1_linear = list(type = "JK1", pattern = "repw_", method = "linear",
                    weights = arr(weights(linear, "sampling")),
                    estimates = rows_of("mean", linear, c("api00", "enroll", "awards")))
)

# ----------------------------------------------------------------------------- Rao-Scott on replicate designs
golden$chisq_replicates <- list(
  jk1 = c(list(row = "stype", col = "awards", pattern = "repw_", type = "JK1"), chisq_of(d_jk, ~stype + awards)),
  bootstrap = c(list(row = "sch.wide", col = "awards", pattern = "boot_", type = "bootstrap"),
                chisq_of(d_boot, ~sch.wide + awards)),
  jk1_raked = c(list(row = "stype", col = "awards", pattern = "repw_", type = "JK1", method = "rake"),
                chisq_of(raked, ~stype + awards))
)

# ----------------------------------------------------------------------------- multistage designs
clus2 <- apiclus2[, c("cds", "dnum", "snum", "stype", "awards", "api00", "api99", "enroll", "fpc1", "fpc2", "pw")]
clus2$stype <- as.character(clus2$stype)
clus2$awards <- as.character(clus2$awards)
write.csv(clus2, file.path(out_dir, "api_clus2.csv"), row.names = FALSE)
clus2 <- read.csv(file.path(out_dir, "api_clus2.csv"), stringsAsFactors = TRUE)
mu <- mu284
write.csv(mu, file.path(out_dir, "mu284.csv"), row.names = FALSE)
mu <- read.csv(file.path(out_dir, "mu284.csv"))

ms <- function(design, vars, by = NULL) {
  out <- list(estimates = rows_of("mean", design, vars), totals = rows_of("total", design, vars[1], svytotal),
              degf = degf(design))
  if (!is.null(by)) {
    sb <- svyby(as.formula(paste0("~", vars[1])), as.formula(paste0("~", by)), design, svymean, na.rm = TRUE)
    out$by <- by
    out$svyby <- lapply(seq_len(nrow(sb)), function(i) {
      list(by = as.character(sb[i, 1]), variable = vars[1], estimate = unname(sb[i, 2]), se = unname(SE(sb)[i]))
    })
  }
  out
}
golden$multistage <- list(
  api_clus2_fpc = c(list(dataset = "api_clus2.csv", ids = arr(c("dnum", "snum")), fpc = arr(c("fpc1", "fpc2"))),
                    ms(svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2), c("api00", "stype"), "stype")),
  api_clus2_wr = c(list(dataset = "api_clus2.csv", ids = arr(c("dnum", "snum")), weights = "pw"),
                   ms(svydesign(id = ~dnum + snum, weights = ~pw, data = clus2), c("api00", "stype"), "stype")),
  api_clus2_fpc_raked = c(list(dataset = "api_clus2.csv", ids = arr(c("dnum", "snum")), fpc = arr(c("fpc1", "fpc2")),
                              method = "rake"),
                         ms(rake(svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2), list(~stype),
                                 list(data.frame(stype = names(pop_stype), Freq = as.vector(pop_stype))),
                                 control = list(maxit = 1000, epsilon = 1e-13, verbose = FALSE)),
                            c("api00", "awards"), "awards")),
  mu284_fpc = c(list(dataset = "mu284.csv", ids = arr(c("id1", "id2")), fpc = arr(c("n1", "n2"))),
                ms(svydesign(id = ~id1 + id2, fpc = ~n1 + n2, data = mu), c("y1"))),
  mu284_fpc_fraction = c(list(dataset = "mu284.csv", ids = arr(c("id1", "id2")), fpc = arr(c("f1", "f2"))),
                         ms(svydesign(id = ~id1 + id2, fpc = ~I(5 / n1) + I(table(id1)[as.character(id1)] / n2),
                                      data = mu), c("y1")))
)

# ----------------------------------------------------------------------------- lonely PSUs
strat <- apistrat[, c("cds", "stype", "api00", "enroll", "pw", "fpc")]
strat$stype <- as.character(strat$stype)
keep <- strat$stype != "H" | seq_len(nrow(strat)) == which(strat$stype == "H")[1]
lonely <- strat[keep, ]
write.csv(lonely, file.path(out_dir, "api_lonely.csv"), row.names = FALSE)
lonely <- read.csv(file.path(out_dir, "api_lonely.csv"), stringsAsFactors = TRUE)
golden$lonely <- list(dataset = "api_lonely.csv", strata = "stype", weights = "pw", lonely_stratum = "H")
for (policy in c("remove", "adjust", "average", "certainty")) {
  options(survey.lonely.psu = policy)
  d <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = lonely)
  golden$lonely[[policy]] <- list(estimates = rows_of("mean", d, c("api00")),
                                  totals = rows_of("total", d, c("enroll"), svytotal))
}
options(survey.lonely.psu = "fail")

writeLines(tojson(golden), file.path(out_dir, "golden_designs.json"))
