# Golden values for the weighting package, produced by R `survey` (T. Lumley).
#
# Regenerate from the repository root with:
#     Rscript tests/weighting/golden/make_golden.R
#
# It (1) draws the small synthetic test datasets with a fixed seed and writes them as CSV,
# (2) writes the population targets in the CLI's format (variable,category,share),
# (3) weights and estimates with R `survey` and writes every value with 17 significant
# digits to golden.json. The Python tests only read the files written here: CI has no R.
#
# Tested with R 4.2.2 and survey 4.1-1 (Debian packages r-base-core, r-cran-survey).

suppressMessages(library(survey))
options(digits = 17, warn = 1, survey.replicates.mse = FALSE)

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script)) dirname(normalizePath(script)) else "tests/weighting/golden"
golden_path <- file.path(out_dir, "golden.json")
# A second argument lets the Python test re-run R into a temporary folder and compare.
targs <- commandArgs(trailingOnly = TRUE)
if (length(targs) >= 1) {
  data_out <- targs[1]
  dir.create(data_out, showWarnings = FALSE, recursive = TRUE)
  golden_path <- file.path(data_out, "golden.json")
} else {
  data_out <- out_dir
}

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
RAKE_CONTROL <- list(maxit = 1000, epsilon = 1e-13, verbose = FALSE)
CAL_EPS <- 1e-13
CAL_MAXIT <- 500

# ----------------------------------------------------------------------------- JSON writer
# jsonlite prints at most 15 significant digits; golden values need all 17.
jarr <- function(x) structure(x, class = c("jarray", class(x)))
jstr <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s)
  s <- gsub("\"", "\\\\\"", s)
  paste0("\"", s, "\"")
}
jnum <- function(x) {
  ifelse(is.na(x), "null",
         ifelse(is.infinite(x), ifelse(x > 0, "1e999", "-1e999"), sprintf("%.17g", x)))
}
tojson <- function(x, ind = "") {
  nxt <- paste0(ind, "  ")
  if (is.null(x)) return("null")
  is_arr <- inherits(x, "jarray")
  if (is_arr) class(x) <- setdiff(class(x), "jarray")
  if (is.data.frame(x)) {
    rows <- lapply(seq_len(nrow(x)), function(i) as.list(x[i, , drop = FALSE]))
    rows <- lapply(rows, function(r) lapply(r, function(v) if (is.factor(v)) as.character(v) else v))
    return(tojson(rows, ind))
  }
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      items <- vapply(names(x), function(k) paste0(nxt, jstr(k), ": ", tojson(x[[k]], nxt)), "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", ind, "}"))
    }
    items <- vapply(x, function(v) paste0(nxt, tojson(v, nxt)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", ind, "]"))
  }
  if (is.factor(x)) x <- as.character(x)
  vals <- if (is.character(x)) {
    ifelse(is.na(x), "null", jstr(x))
  } else if (is.logical(x)) {
    ifelse(is.na(x), "null", ifelse(x, "true", "false"))
  } else {
    jnum(as.numeric(x))
  }
  if (length(x) == 1 && !is_arr) return(vals)
  paste0("[", paste(vals, collapse = ", "), "]")
}

# ----------------------------------------------------------------------------- data
AGE5 <- c("18-24", "25-34", "35-49", "50-64", "65+")
EDU3 <- c("low", "mid", "high")
COMMUNES <- c("Anderlecht", "Bruxelles", "Ixelles", "Schaerbeek")
OPINION <- c("agree", "disagree", "neutral")

draw <- function(n, levels, probs) factor(sample(levels, n, replace = TRUE, prob = probs), levels = levels)

make_outcomes <- function(d) {
  n <- nrow(d)
  age_i <- as.integer(d$age_group) - 1
  high <- if (!is.null(d$education)) as.numeric(d$education == "high") else rep(0, n)
  d$satisfaction <- round(4 + 0.7 * age_i - 1.1 * high + rnorm(n, 0, 1.5), 2)
  d$trust <- round(40 + 6 * age_i + 8 * high + rnorm(n, 0, 12))
  p_agree <- plogis(-1.2 + 0.45 * age_i - 0.6 * high)
  u <- runif(n)
  d$opinion <- ifelse(u < p_agree, "agree", ifelse(u < p_agree + (1 - p_agree) * 0.55, "disagree", "neutral"))
  d
}

set.seed(20221115)
# consult: the reference case, 1,003 online + 148 field respondents with opposite biases.
make_consult <- function() {
  part <- function(mode, n, p_sex, p_age, p_edu, p_com, wbase) {
    data.frame(
      mode = mode,
      sex = draw(n, c("F", "M"), p_sex),
      age_group = draw(n, AGE5, p_age),
      education = draw(n, EDU3, p_edu),
      commune = draw(n, COMMUNES, p_com),
      base_w = round(wbase * runif(n, 0.8, 1.2), 2),
      stringsAsFactors = FALSE
    )
  }
  d <- rbind(
    part("online", 1003, c(.45, .55), c(.22, .30, .28, .14, .06), c(.12, .33, .55), c(.2, .3, .3, .2), 700),
    part("field", 148, c(.60, .40), c(.06, .12, .22, .28, .32), c(.45, .38, .17), c(.35, .25, .1, .3), 1200)
  )
  d <- make_outcomes(d)
  d$id <- seq_len(nrow(d))
  # The same design weights scaled to mean 1, as survey exports often give them.
  d$rel_w <- round(d$base_w / mean(d$base_w), 6)
  d[, c("id", "mode", "sex", "age_group", "education", "commune", "base_w", "rel_w", "satisfaction", "trust",
        "opinion")]
}
consult <- make_consult()

# small: 12 rows, crossed cells of 5, 4, 2 and 1 respondents.
small <- data.frame(
  id = 1:12,
  sex = factor(c(rep("F", 7), rep("M", 5)), levels = c("F", "M")),
  age_group = factor(c(rep("18-44", 5), rep("45+", 2), rep("18-44", 4), "45+"), levels = c("18-44", "45+")),
  base_w = c(80, 90, 100, 110, 120, 95, 105, 60, 70, 80, 90, 150),
  satisfaction = c(7.5, 6, 8.25, 5.5, 9, 3, 4.5, 6.75, 7, 2.5, 8, 5),
  opinion = c("agree", "neutral", "agree", "disagree", "agree", "disagree", "agree",
              "neutral", "agree", "disagree", "neutral", "agree"),
  stringsAsFactors = FALSE
)

# skewed: a strongly biased sample where linear calibration needs g-weights outside the logit bounds.
make_skewed <- function() {
  n <- 200
  d <- data.frame(
    sex = draw(n, c("F", "M"), c(.7, .3)),
    age_group = draw(n, AGE5, c(.35, .30, .20, .10, .05)),
    education = draw(n, EDU3, c(.10, .30, .60)),
    stringsAsFactors = FALSE
  )
  d$base_w <- round(runif(n, 300, 700), 2)
  d <- make_outcomes(d)
  d$id <- seq_len(n)
  d[, c("id", "sex", "age_group", "education", "base_w", "satisfaction", "trust", "opinion")]
}
skewed <- make_skewed()

# clustered: 4 strata x 6 PSUs (field interview points), 4 to 10 respondents each.
make_clustered <- function() {
  rows <- list()
  for (s in 1:4) for (p in 1:6) {
    m <- sample(4:10, 1)
    rows[[length(rows) + 1]] <- data.frame(
      stratum = paste0("S", s), psu = sprintf("S%d-P%d", s, p),
      w = round(c(90, 120, 150, 200)[s] * runif(1, 0.8, 1.25), 2),
      sex = draw(m, c("F", "M"), c(.55, .45)),
      age_group = draw(m, c("18-34", "35-64", "65+"), c(.25, .45, .30)),
      stringsAsFactors = FALSE
    )
  }
  d <- do.call(rbind, rows)
  n <- nrow(d)
  psu_eff <- rnorm(24, 0, 0.8)[as.integer(factor(d$psu, levels = unique(d$psu)))]
  age_i <- as.integer(d$age_group) - 1
  d$satisfaction <- round(5 + 0.6 * age_i + psu_eff + rnorm(n, 0, 1.2), 2)
  p_agree <- plogis(-0.5 + 0.5 * age_i + psu_eff)
  u <- runif(n)
  d$opinion <- ifelse(u < p_agree, "agree", ifelse(u < p_agree + (1 - p_agree) * 0.5, "disagree", "neutral"))
  d$id <- seq_len(n)
  d[, c("id", "stratum", "psu", "w", "sex", "age_group", "satisfaction", "opinion")]
}
clustered <- make_clustered()

# empty: no respondent aged 65+ although the population has them; crossed cell M:65+ empty in empty_cross.
make_empty <- function() {
  n <- 40
  d <- data.frame(
    sex = draw(n, c("F", "M"), c(.5, .5)),
    age_group = draw(n, AGE5[1:4], c(.3, .3, .2, .2)),
    stringsAsFactors = FALSE
  )
  d$satisfaction <- round(rnorm(n, 5, 2), 2)
  d$sex <- as.character(d$sex)
  d$age_group <- as.character(d$age_group)
  d$id <- seq_len(n)
  d[, c("id", "sex", "age_group", "satisfaction")]
}
empty <- make_empty()
empty_cross <- empty
empty_cross$age_group[1:6] <- "65+"
empty_cross$sex[1:6] <- "F"
empty_cross$id <- seq_len(nrow(empty_cross))

for (nm in c("consult", "small", "skewed", "clustered", "empty", "empty_cross")) {
  d <- get(nm)
  for (v in names(d)) if (is.factor(d[[v]])) d[[v]] <- as.character(d[[v]])
  write.csv(d, file.path(data_out, paste0(nm, ".csv")), row.names = FALSE)
}

# ----------------------------------------------------------------------------- targets
# Shares are short decimals so that R and Python read exactly the same doubles.
cross_sexage <- data.frame(
  category = paste(rep(c("F", "M"), each = 5), rep(AGE5, 2), sep = ":"),
  share = c(0.060, 0.095, 0.135, 0.115, 0.110, 0.062, 0.093, 0.132, 0.113, 0.085)
)
margin_from_cross <- function(idx, levels) {
  parts <- do.call(rbind, strsplit(cross_sexage$category, ":", fixed = TRUE))
  vapply(levels, function(l) round(sum(cross_sexage$share[parts[, idx] == l]), 6), 0)
}
T_SEX <- data.frame(variable = "sex", category = c("F", "M"), share = margin_from_cross(1, c("F", "M")))
T_AGE <- data.frame(variable = "age_group", category = AGE5, share = margin_from_cross(2, AGE5))
T_EDU <- data.frame(variable = "education", category = EDU3, share = c(0.31, 0.36, 0.33))
T_COM <- data.frame(variable = "commune", category = COMMUNES, share = c(0.26, 0.41, 0.15, 0.18))
T_CROSS <- data.frame(variable = "sex:age_group", category = cross_sexage$category, share = cross_sexage$share)

targets <- list(
  consult_t_age = T_AGE,
  consult_t_sexage = T_CROSS,
  consult_t_margins = rbind(T_SEX, T_AGE, T_EDU, T_COM),
  consult_t_crossed = rbind(T_CROSS, T_EDU, T_COM),
  small_t_margins = data.frame(variable = c("sex", "sex", "age_group", "age_group"),
                               category = c("F", "M", "18-44", "45+"), share = c(0.5, 0.5, 0.6, 0.4)),
  small_t_sexage = data.frame(variable = "sex:age_group", category = c("F:18-44", "F:45+", "M:18-44", "M:45+"),
                              share = c(0.28, 0.22, 0.32, 0.18)),
  skewed_t_margins = rbind(T_SEX, T_AGE, T_EDU),
  clustered_t_margins = data.frame(variable = c("sex", "sex", "age_group", "age_group", "age_group"),
                                   category = c("F", "M", "18-34", "35-64", "65+"),
                                   share = c(0.52, 0.48, 0.3, 0.45, 0.25)),
  empty_t_age = T_AGE,
  empty_t_sexage = T_CROSS,
  empty_t_margins = rbind(T_SEX, T_AGE)
)
for (nm in names(targets)) {
  write.csv(targets[[nm]], file.path(data_out, paste0(nm, ".csv")), row.names = FALSE)
}
POP <- list(consult = 960000, small = 1000, skewed = 250000, clustered = 50000, empty = 10000, empty_cross = 10000)

# ----------------------------------------------------------------------------- helpers
prep <- function(d) {
  # Categorical variables as factors with the levels of the targets, plus the crossed cell.
  d <- as.data.frame(d, stringsAsFactors = FALSE)
  lv <- list(sex = c("F", "M"), age_group = NULL, education = EDU3, commune = COMMUNES)
  if ("sex" %in% names(d)) d$sex <- factor(d$sex, levels = c("F", "M"))
  if ("education" %in% names(d)) d$education <- factor(d$education, levels = EDU3)
  if ("commune" %in% names(d)) d$commune <- factor(d$commune, levels = COMMUNES)
  if ("age_group" %in% names(d)) {
    al <- if (all(d$age_group %in% AGE5)) AGE5 else sort(unique(d$age_group))
    d$age_group <- factor(d$age_group, levels = al)
    d$sex_age <- factor(paste(d$sex, d$age_group, sep = ":"),
                        levels = paste(rep(levels(d$sex), each = length(al)), rep(al, 2), sep = ":"))
  }
  if ("opinion" %in% names(d)) d$opinion <- factor(d$opinion, levels = OPINION)
  d
}
var_of <- function(v) if (v == "sex:age_group") "sex_age" else v

pop_table <- function(t, N, v) {
  df <- data.frame(x = factor(t$category, levels = t$category), Freq = t$share * N)
  names(df)[1] <- var_of(v)
  df
}
margins_of <- function(tt) split(tt, factor(tt$variable, levels = unique(tt$variable)))

base_design <- function(d, N, base) {
  if (is.null(base)) {
    d$.w0 <- rep(N / nrow(d), nrow(d))
  } else {
    d$.w0 <- d[[base]]
  }
  svydesign(ids = ~1, weights = ~.w0, data = d)
}

calib_totals <- function(design, tt, N) {
  # Population totals in the column order of the model matrix R builds for ~v1+v2+...
  ms <- margins_of(tt)
  f <- as.formula(paste("~", paste(vapply(names(ms), var_of, ""), collapse = "+")))
  mm <- model.matrix(f, design$variables)
  pop <- setNames(numeric(ncol(mm)), colnames(mm))
  pop["(Intercept)"] <- N
  for (v in names(ms)) {
    for (i in seq_len(nrow(ms[[v]]))) {
      nm <- paste0(var_of(v), ms[[v]]$category[i])
      if (nm %in% names(pop)) pop[nm] <- ms[[v]]$share[i] * N
    }
  }
  list(formula = f, population = pop)
}

weigh <- function(design, method, tt, N, bounds = NULL) {
  ms <- margins_of(tt)
  if (method == "poststratify") {
    stopifnot(length(ms) == 1)
    v <- names(ms)[1]
    return(postStratify(design, as.formula(paste0("~", var_of(v))), pop_table(ms[[1]], N, v)))
  }
  if (method == "rake") {
    sm <- lapply(names(ms), function(v) as.formula(paste0("~", var_of(v))))
    pm <- lapply(names(ms), function(v) pop_table(ms[[v]], N, v))
    return(rake(design, sm, pm, control = RAKE_CONTROL))
  }
  ct <- calib_totals(design, tt, N)
  calfun <- switch(method, linear = "linear", raking = "raking", logit = "logit")
  b <- if (is.null(bounds)) c(-Inf, Inf) else bounds
  calibrate(design, ct$formula, population = ct$population, calfun = calfun, bounds = b,
            epsilon = CAL_EPS, maxit = CAL_MAXIT)
}

# One row per estimate, in the shape of `survey estimate` output.
est_rows <- function(design, numeric_vars, cat_vars, by = NULL) {
  out <- list()
  add <- function(variable, category, est, se, n, byv = NA) {
    z <- qnorm(0.975)
    out[[length(out) + 1]] <<- data.frame(
      variable = variable, category = category, by = byv, estimate = est, se = se,
      ci_low = est - z * se, ci_high = est + z * se, n = n, stringsAsFactors = FALSE
    )
  }
  # subset() of a calibrated design keeps every row (the others get weight 0), of a plain
  # design drops them: count the domain ourselves either way.
  one <- function(des, byv, mask) {
    if (nrow(des$variables) != length(mask)) mask <- rep(TRUE, nrow(des$variables))
    for (v in numeric_vars) {
      m <- svymean(as.formula(paste0("~", v)), des)
      add(v, "mean", unname(coef(m)), unname(SE(m)), sum(mask & !is.na(des$variables[[v]])), byv)
    }
    for (v in cat_vars) {
      m <- svymean(as.formula(paste0("~", v)), des)
      cats <- sub(paste0("^", v), "", names(coef(m)))
      # n = respondents who answered (the base of the proportions), as for numeric variables.
      add(v, cats, unname(coef(m)), unname(SE(m)), sum(mask & !is.na(des$variables[[v]])), byv)
    }
  }
  if (is.null(by)) {
    one(design, NA, rep(TRUE, nrow(design$variables)))
  } else {
    for (g in sort(unique(as.character(design$variables[[by]])))) {
      sel <- as.character(design$variables[[by]]) == g
      one(subset(design, sel), g, sel)
    }
  }
  do.call(rbind, out)
}

# svyby for the same quantities (used as a cross-check that subset() above matches svyby).
svyby_rows <- function(design, v, by) {
  b <- svyby(as.formula(paste0("~", v)), as.formula(paste0("~", by)), design, svymean)
  data.frame(by = as.character(b[[by]]), estimate = unname(coef(b)), se = unname(SE(b)))
}

ciprop <- function(design, v, level) {
  f <- as.formula(sprintf("~I(%s == \"%s\")", v, level))
  a <- svyciprop(f, design, method = "logit")
  b <- svyciprop(f, design, method = "logit", df = Inf)
  list(variable = v, category = level, estimate = unname(as.numeric(a)),
       df = degf(design),
       ci_low = unname(attr(a, "ci")[1]), ci_high = unname(attr(a, "ci")[2]),
       ci_low_normal = unname(attr(b, "ci")[1]), ci_high_normal = unname(attr(b, "ci")[2]))
}

totals <- function(design, numeric_vars) {
  lapply(setNames(numeric_vars, numeric_vars), function(v) {
    m <- svytotal(as.formula(paste0("~", v)), design)
    list(estimate = unname(coef(m)), se = unname(SE(m)))
  })
}

kish <- function(w) {
  n <- length(w)
  deff <- n * sum(w^2) / sum(w)^2
  list(deff = deff, n_eff = n / deff)
}

summarise <- function(design, numeric_vars, cat_vars, by = NULL, prop_level = NULL) {
  r <- list(estimates = est_rows(design, numeric_vars, cat_vars))
  if (!is.null(by)) {
    r$estimates_by <- est_rows(design, numeric_vars, cat_vars, by = by)
    r$by <- by
    r$svyby <- lapply(setNames(numeric_vars, numeric_vars), function(v) svyby_rows(design, v, by))
  }
  r$totals <- totals(design, numeric_vars)
  if (!is.null(prop_level)) {
    # svyciprop(method="logit") fits a glm, which refuses negative (linear calibration) weights.
    ci <- safely(ciprop(design, prop_level[1], prop_level[2]))
    r$svyciprop <- if (ci$ok) ci$value else list(error = ci$error)
  }
  r
}

safely <- function(expr) {
  tryCatch(list(ok = TRUE, value = expr), error = function(e) list(ok = FALSE, error = conditionMessage(e)))
}

golden <- list(
  meta = list(
    r_version = R.version.string,
    survey_version = as.character(packageVersion("survey")),
    rake_control = RAKE_CONTROL,
    calibrate_epsilon = CAL_EPS,
    replicates_mse = FALSE,
    ci_note = paste("ci_low/ci_high in estimates are estimate -/+ qnorm(0.975)*se (confint default);",
                    "svyciprop holds method='logit' with df=degf(design) and with df=Inf")
  ),
  cases = list(), fixed = list(), errors = list(), replicates = list()
)

# ----------------------------------------------------------------------------- weighting cases
fixed_design <- function(d, w, srs) {
  # (not transform(d, w = w): data masking would pick the data's own `w` column)
  d$w_cal <- w
  if (srs) svydesign(ids = ~1, weights = ~w_cal, data = d)
  else svydesign(ids = ~psu, strata = ~stratum, weights = ~w_cal, data = d)
}

add_case <- function(id, dataset, targets_name, method, base = NULL, bounds = NULL,
                     numeric_vars, cat_vars, by = NULL, prop_level = NULL, design_fun = NULL) {
  d <- prep(get(dataset))
  N <- POP[[dataset]]
  des0 <- if (is.null(design_fun)) base_design(d, N, base) else design_fun(d)
  tt <- targets[[targets_name]]
  cal <- weigh(des0, method, tt, N, bounds)
  w <- unname(weights(cal))
  message(id, ": n=", length(w), " min w=", signif(min(w), 4), " max w=", signif(max(w), 4))
  case <- list(
    id = id, dataset = paste0(dataset, ".csv"), targets = paste0(targets_name, ".csv"),
    method = method, population = N, base_weight = if (is.null(base)) NULL else base,
    bounds = if (is.null(bounds)) NULL else jarr(bounds),
    design = if (is.null(design_fun)) "ids=~1" else "ids=~psu, strata=~stratum",
    weights = jarr(w), sum_weights = sum(w), kish = kish(w),
    calibrated = summarise(cal, numeric_vars, cat_vars, by, prop_level),
    # The same weights treated as fixed (what `survey estimate --weight weight` reports).
    fixed = summarise(fixed_design(d, w, is.null(design_fun)), numeric_vars, cat_vars, by, prop_level)
  )
  if (method == "logit") {
    lin <- weigh(des0, "linear", tt, N)
    g_lin <- weights(lin) / weights(des0)
    case$linear_g_outside_bounds <- sum(g_lin < bounds[1] | g_lin > bounds[2])
    case$g_range <- jarr(range(w / weights(des0)))
    # grake() rescales base weights by mean(population / sample totals) when all those ratios
    # exceed 20, and then applies the bounds to g relative to the rescaled weights.
    ct <- calib_totals(des0, tt, N)
    mm <- model.matrix(ct$formula, des0$variables)
    scales <- ct$population / colSums(mm * weights(des0))
    case$bounds_rescale <- if (min(scales) > 20) mean(scales) else 1
  }
  if (method == "rake") {
    # R's rake() SEs project the influence functions with 10 sweeps over the margins, using the
    # final weights; calibrate(calfun="raking") uses one GREG projection. Keep both.
    rk <- weigh(des0, "raking", tt, N)
    case$raking_calibrate_weights_max_rel_diff <- max(abs(weights(rk) / w - 1))
    case$calibrated_via_calibrate_raking <- summarise(rk, numeric_vars, cat_vars, by, prop_level)
  }
  golden$cases[[id]] <<- case
  invisible(cal)
}

NUMS <- c("satisfaction", "trust")
CATS <- c("opinion")
for (b in list(NULL, "base_w")) {
  sfx <- if (is.null(b)) "equal" else "basew"
  add_case(paste0("consult_post_age_", sfx), "consult", "consult_t_age", "poststratify", b,
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
  add_case(paste0("consult_post_sexage_", sfx), "consult", "consult_t_sexage", "poststratify", b,
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
  add_case(paste0("consult_rake_", sfx), "consult", "consult_t_margins", "rake", b,
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
  add_case(paste0("consult_rake_crossed_", sfx), "consult", "consult_t_crossed", "rake", b,
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
  add_case(paste0("consult_linear_", sfx), "consult", "consult_t_margins", "linear", b,
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
  add_case(paste0("consult_raking_", sfx), "consult", "consult_t_margins", "raking", b,
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
  add_case(paste0("consult_logit_", sfx), "consult", "consult_t_margins", "logit", b, bounds = c(0.4, 2.5),
           numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
}
# Base weights of mean 1 (sum n, far below N): R's grake rescales them by the mean ratio of
# population to sample totals (> 20 here) and applies the bounds after that rescaling.
add_case("consult_logit_relw", "consult", "consult_t_margins", "logit", "rel_w", bounds = c(0.4, 2.5),
         numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
add_case("consult_rake_relw", "consult", "consult_t_margins", "rake", "rel_w",
         numeric_vars = NUMS, cat_vars = CATS, by = "mode", prop_level = c("opinion", "agree"))
add_case("small_post_sexage", "small", "small_t_sexage", "poststratify", NULL,
         numeric_vars = "satisfaction", cat_vars = CATS, prop_level = c("opinion", "agree"))
add_case("small_rake_basew", "small", "small_t_margins", "rake", "base_w",
         numeric_vars = "satisfaction", cat_vars = CATS, prop_level = c("opinion", "agree"))
add_case("small_linear_equal", "small", "small_t_margins", "linear", NULL,
         numeric_vars = "satisfaction", cat_vars = CATS, prop_level = c("opinion", "agree"))
add_case("skewed_rake_basew", "skewed", "skewed_t_margins", "rake", "base_w",
         numeric_vars = NUMS, cat_vars = CATS, prop_level = c("opinion", "agree"))
add_case("skewed_linear_basew", "skewed", "skewed_t_margins", "linear", "base_w",
         numeric_vars = NUMS, cat_vars = CATS, prop_level = c("opinion", "agree"))
add_case("skewed_logit_equal", "skewed", "skewed_t_margins", "logit", NULL, bounds = c(0.1, 10),
         numeric_vars = NUMS, cat_vars = CATS, prop_level = c("opinion", "agree"))

cl_design <- function(d) svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
add_case("clustered_rake", "clustered", "clustered_t_margins", "rake", "w",
         numeric_vars = "satisfaction", cat_vars = CATS, by = "sex", prop_level = c("opinion", "agree"),
         design_fun = cl_design)
add_case("clustered_linear", "clustered", "clustered_t_margins", "linear", "w",
         numeric_vars = "satisfaction", cat_vars = CATS, by = "sex", prop_level = c("opinion", "agree"),
         design_fun = cl_design)

# ----------------------------------------------------------------------------- fixed-weight designs
fixed_case <- function(id, dataset, weight, numeric_vars, cat_vars, by = NULL, prop_level = NULL, is_clustered = FALSE) {
  d <- prep(get(dataset))
  des <- if (is_clustered) {
    svydesign(ids = ~psu, strata = ~stratum, weights = as.formula(paste0("~", weight)), data = d)
  } else {
    svydesign(ids = ~1, weights = as.formula(paste0("~", weight)), data = d)
  }
  r <- summarise(des, numeric_vars, cat_vars, by, prop_level)
  r$dataset <- paste0(dataset, ".csv")
  r$weight <- weight
  r$design <- if (is_clustered) "ids=~psu, strata=~stratum" else "ids=~1"
  golden$fixed[[id]] <<- r
}
fixed_case("consult_basew", "consult", "base_w", NUMS, CATS, by = "mode", prop_level = c("opinion", "agree"))
fixed_case("small_basew", "small", "base_w", "satisfaction", CATS, prop_level = c("opinion", "agree"))
fixed_case("clustered_w", "clustered", "w", "satisfaction", CATS, by = "sex", prop_level = c("opinion", "agree"),
           is_clustered = TRUE)
fixed_case("clustered_w_ignoring_design", "clustered", "w", "satisfaction", CATS, by = "sex",
           prop_level = c("opinion", "agree"))

# ----------------------------------------------------------------------------- replicate designs
rep_case <- function(id, dataset, targets_name, method, base) {
  d <- prep(get(dataset))
  N <- POP[[dataset]]
  des0 <- base_design(d, N, base)
  rep0 <- as.svrepdesign(des0, type = "JK1")
  cal <- if (is.null(method)) rep0 else weigh(rep0, method, targets[[targets_name]], N)
  r <- list(dataset = paste0(dataset, ".csv"), targets = if (is.null(targets_name)) NULL else paste0(targets_name, ".csv"),
            method = if (is.null(method)) NULL else method, population = N, base_weight = base,
            type = "JK1", mse = FALSE, scale = rep0$scale,
            weights = jarr(unname(weights(cal, "sampling"))))
  r$estimates <- est_rows(cal, NUMS, CATS)
  r$estimates_mse <- {
    z <- list()
    for (v in c(NUMS, CATS)) {
      m <- svymean(as.formula(paste0("~", v)), cal, return.replicates = FALSE, mse = TRUE)
      z[[v]] <- data.frame(variable = v, category = if (v %in% NUMS) "mean" else sub(paste0("^", v), "", names(coef(m))),
                           se = unname(SE(m)))
    }
    do.call(rbind, z)
  }
  golden$replicates[[id]] <<- r
}
rep_case("skewed_jk1_fixed", "skewed", NULL, NULL, "base_w")
rep_case("skewed_jk1_rake", "skewed", "skewed_t_margins", "rake", "base_w")
rep_case("skewed_jk1_linear", "skewed", "skewed_t_margins", "linear", "base_w")
rep_case("consult_jk1_rake", "consult", "consult_t_margins", "rake", "base_w")

# ----------------------------------------------------------------------------- error cases
err_case <- function(id, dataset, targets_name, method, base = NULL, bounds = NULL) {
  d <- prep(get(dataset))
  N <- POP[[dataset]]
  des0 <- base_design(d, N, base)
  res <- safely(suppressWarnings(weigh(des0, method, targets[[targets_name]], N, bounds)))
  if (res$ok) {
    w <- weights(res$value)
    golden$errors[[id]] <<- list(dataset = paste0(dataset, ".csv"), targets = paste0(targets_name, ".csv"),
                                 method = method, population = N, r_error = FALSE,
                                 weights = jarr(unname(w)), sum_weights = sum(w))
  } else {
    golden$errors[[id]] <<- list(dataset = paste0(dataset, ".csv"), targets = paste0(targets_name, ".csv"),
                                 method = method, population = N, r_error = TRUE, message = res$error,
                                 base_weight = base, bounds = if (is.null(bounds)) NULL else jarr(bounds))
  }
}
err_case("empty_post_age", "empty", "empty_t_age", "poststratify")
err_case("empty_rake", "empty", "empty_t_margins", "rake")
err_case("empty_linear", "empty", "empty_t_margins", "linear")
err_case("empty_cross_post_sexage", "empty_cross", "empty_t_sexage", "poststratify")
err_case("empty_cross_rake_margins", "empty_cross", "empty_t_margins", "rake")
# Bounds that no g-weights within them can meet: R's calibrate() stops with "Calibration failed".
err_case("skewed_logit_infeasible", "skewed", "skewed_t_margins", "logit", "base_w", c(0.4, 2.5))

# ----------------------------------------------------------------------------- Rao-Scott tests
# svychisq() on weighted two-way tables: statistic "F" (the default, second-order Rao-Scott with
# an F reference) and "Chisq" (first-order; R reports the unadjusted Pearson X^2 as statistic and
# refers X^2 / mean(design effects) to chi-square). Variance is calibration-aware (svymean).
chisq_case <- function(id, dataset, targets_name, method, row, col, base = NULL, design_fun = NULL) {
  d <- prep(get(dataset))
  N <- POP[[dataset]]
  des0 <- if (is.null(design_fun)) base_design(d, N, base) else design_fun(d)
  des <- if (method == "none") des0 else weigh(des0, method, targets[[targets_name]], N)
  f <- as.formula(paste0("~", row, "+", col))
  out <- list(
    dataset = paste0(dataset, ".csv"), targets = if (method == "none") NULL else paste0(targets_name, ".csv"),
    method = method, population = N, base_weight = base, row = row, col = col,
    design = if (is.null(design_fun)) "ids=~1" else "ids=~psu, strata=~stratum"
  )
  for (st in c("F", "Chisq")) {
    r <- svychisq(f, des, statistic = st)
    out[[st]] <- list(statistic = unname(r$statistic), parameter = jarr(unname(r$parameter)),
                      p_value = unname(r$p.value))
  }
  golden$independence[[id]] <<- out
}
chisq_case("consult_rake_equal_opinion_mode", "consult", "consult_t_margins", "rake", "opinion", "mode")
chisq_case("consult_rake_basew_opinion_education", "consult", "consult_t_margins", "rake", "opinion",
           "education", base = "base_w")
chisq_case("consult_post_sexage_equal_opinion_mode", "consult", "consult_t_sexage", "poststratify",
           "opinion", "mode")
chisq_case("consult_post_age_basew_opinion_education", "consult", "consult_t_age", "poststratify",
           "opinion", "education", base = "base_w")
chisq_case("clustered_rake_opinion_sex", "clustered", "clustered_t_margins", "rake", "opinion", "sex",
           base = "w", design_fun = cl_design)
# Equal weights, no calibration: the design effects are all n/(n-1), so the first-order
# statistic is Pearson's X^2 * (n-1)/n (the closed form the Python tests also check).
chisq_case("consult_srs_opinion_mode", "consult", NULL, "none", "opinion", "mode")

writeLines(tojson(golden), golden_path)
cat("wrote", golden_path, "\n")
