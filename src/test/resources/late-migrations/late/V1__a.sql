create table late_a (id int);
