create table late_b (id int);
