-- Every run re-plans and checks the plan against its approval, so whether an earlier run had started is not needed.
alter table access_request drop column apply_started;
