-- The cohort queries of `kapcourse report`, for a provider with more learners than one machine
-- holds: load the exports into the tables below on a warehouse (BigQuery, Snowflake, Postgres,
-- DuckDB, SQLite ...) and run the same queries there. Standard SQL with window functions.
-- Each query starts with a `-- name:` line; kapcourse.workshop.cohort reads them by name, and
-- tests/test_report_sql.py runs every one on a small cohort against the report's own figures,
-- so this file cannot drift from the report.
--
-- Tables (one row per learner and question; take from each export only the answers to the
-- questions as they are now: a record whose `fp` differs from the question's current
-- fingerprint is set aside, as the report does):
--   answers(learner, question, first_correct)   lesson and final answers of each export
--   questions(question, lesson, objective)      from the course's banks and final forms
--   pretest(learner, question, correct)         the pre-test block's answers (submitted only)
--   final1(learner, question, correct)          the final's first attempt, submitted answers
-- `learner` is the export id. A share is a number from 0 to 1.

-- name: groups
-- (used by the report itself, on its own table learners(seq, export_id, score, data): score
-- is the learner's overall first-try share, data their lesson answers, a byte per question)
-- the bottom (-1) and top (+1) groups of :k learners for the discrimination index, ranked by
-- overall share, ties by export id.
WITH ranked AS (
  SELECT seq, ROW_NUMBER() OVER (ORDER BY score, export_id) AS pos FROM learners
)
SELECT l.data, CASE WHEN r.pos <= :k THEN -1 ELSE 1 END AS grp
FROM ranked AS r JOIN learners AS l ON l.seq = r.seq
WHERE r.pos <= :k OR r.pos > :n - :k
ORDER BY r.seq;

-- name: first_try
-- Per question: learners who answered it and the share right at the first try.
SELECT question, COUNT(*) AS learners,
       AVG(CASE WHEN first_correct THEN 1.0 ELSE 0.0 END) AS first_try
FROM answers
GROUP BY question
ORDER BY question;

-- name: discrimination
-- Per question: upper-lower discrimination index (Kelley's 27%): k = max(1, round(0.27 n))
-- learners in each group (needs n >= 4); first-try share in the top group minus the bottom.
WITH overall AS (
  SELECT learner, AVG(CASE WHEN first_correct THEN 1.0 ELSE 0.0 END) AS share
  FROM answers GROUP BY learner
), ranked AS (
  SELECT learner, ROW_NUMBER() OVER (ORDER BY share, learner) AS pos,
         COUNT(*) OVER () AS n
  FROM overall
), sized AS (
  SELECT learner, pos, n,
         CASE WHEN ROUND(0.27 * n) < 1 THEN 1 ELSE ROUND(0.27 * n) END AS k
  FROM ranked
), grouped AS (
  SELECT learner, CASE WHEN pos <= k THEN 'bottom' ELSE 'top' END AS grp
  FROM sized WHERE n >= 4 AND (pos <= k OR pos > n - k)
), shares AS (
  SELECT a.question, g.grp, AVG(CASE WHEN a.first_correct THEN 1.0 ELSE 0.0 END) AS share
  FROM answers AS a JOIN grouped AS g ON g.learner = a.learner
  GROUP BY a.question, g.grp
)
SELECT t.question, t.share - b.share AS discrimination
FROM shares AS t JOIN shares AS b ON b.question = t.question
WHERE t.grp = 'top' AND b.grp = 'bottom'
ORDER BY t.question;

-- name: gain_by_objective
-- Per objective: learners with both a pre-test answer and a first-attempt final answer on it,
-- the mean of their gain (share right in the final minus share right in the pre-test) and
-- its sample standard deviation (NULL under 2 learners).
WITH pre AS (
  SELECT p.learner, q.objective, AVG(CASE WHEN p.correct THEN 1.0 ELSE 0.0 END) AS share
  FROM pretest AS p JOIN questions AS q ON q.question = p.question
  GROUP BY p.learner, q.objective
), post AS (
  SELECT f.learner, q.objective, AVG(CASE WHEN f.correct THEN 1.0 ELSE 0.0 END) AS share
  FROM final1 AS f JOIN questions AS q ON q.question = f.question
  GROUP BY f.learner, q.objective
), gain AS (
  SELECT post.objective, post.share - pre.share AS gain
  FROM pre JOIN post ON post.learner = pre.learner AND post.objective = pre.objective
)
SELECT objective, COUNT(*) AS n, AVG(gain) AS mean_gain,
       CASE WHEN COUNT(*) > 1 THEN
         SQRT((SUM(gain * gain) - COUNT(*) * AVG(gain) * AVG(gain)) / (COUNT(*) - 1))
       END AS sd
FROM gain
GROUP BY objective
ORDER BY objective;
